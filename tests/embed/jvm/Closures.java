// Closures.java — the JVM with xerial's sqlite-jdbc (Debian's
// libxerial-sqlite-jdbc-java) loads the penalty module and prints the
// demo's closure list: the shops of the demo database eligible for closure
// at the end of 2017, Beijing time, then the summary line that ./run.sh demo
// prints. java -cp /usr/share/java/sqlite-jdbc.jar Closures.java DB MODULE
// (tests/embed/jvm/run.sh runs it).
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.sqlite.SQLiteConfig;

public class Closures {
    // The demo's closure list (sql/demo/demo.sql), with the seller's id as
    // the tie-breaker so that the order is total.
    static final String CLOSURES = String.join("\n",
        "SELECT s.name, penalty_level('taobao', s.credit), s.turnover, s.credit, p.points, p.repeats, p.closure_at",
        "  FROM penalty_standings('taobao', 'violations', '2017-12-31 23:59:59+08:00') AS p",
        "  JOIN sellers AS s ON s.id = p.seller_id",
        " WHERE p.closure_at IS NOT NULL",
        " ORDER BY s.turnover DESC, s.id");

    public static void main(String[] args) throws SQLException {
        if (args.length != 2) {
            System.err.println("usage: java Closures.java DB MODULE");
            System.exit(2);
        }
        // UTF-8 whatever the locale (shop names, the yen sign).
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        // sqlite3_enable_load_extension(db, 1): load_extension() may be called.
        config.enableLoadExtension(true);
        try (Connection con = DriverManager.getConnection("jdbc:sqlite:" + args[0], config.toProperties())) {
            try (PreparedStatement load = con.prepareStatement("SELECT load_extension(?)")) {
                load.setString(1, args[1]);
                load.executeQuery().close();
            }
            int shops = 0, crowns = 0;
            long total = 0, largest = 0;
            try (PreparedStatement st = con.prepareStatement(CLOSURES); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long turnover = rs.getLong(3);
                    out.printf("%s|%s|%d|%d|%d|%s%n", rs.getString(1), rs.getString(2), turnover,
                               rs.getLong(5), rs.getLong(6), rs.getString(7));
                    shops++;
                    if (rs.getLong(4) >= 10001) crowns++;
                    total += turnover;
                    largest = Math.max(largest, turnover);
                }
            }
            out.printf(Locale.ROOT, "%d shops to be closed, %d of them crown level or above, "
                       + "turnover \u00a5%,d a year in all (largest \u00a5%,d)%n", shops, crowns, total, largest);
        }
    }
}
