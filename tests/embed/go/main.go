// main.go — Go's database/sql with mattn/go-sqlite3 (Debian's
// golang-github-mattn-go-sqlite3-dev) loads the penalty module and prints
// the demo's closure list: the shops of the demo database eligible for
// closure at the end of 2017, Beijing time, then the summary line that
// ./run.sh demo prints. go run ... DB MODULE (tests/embed/go/run.sh runs it).
package main

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// The demo's closure list (sql/demo/demo.sql), with the seller's id as the
// tie-breaker so that the order is total.
const closures = `
SELECT s.name, penalty_level('taobao', s.credit), s.turnover, s.credit, p.points, p.repeats, p.closure_at
  FROM penalty_standings('taobao', 'violations', '2017-12-31 23:59:59+08:00') AS p
  JOIN sellers AS s ON s.id = p.seller_id
 WHERE p.closure_at IS NOT NULL
 ORDER BY s.turnover DESC, s.id`

// grouped formats n with thousands separators, as SQLite's printf('%,d').
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func run(db, module string) error {
	// The driver loads each of its Extensions into every connection it opens
	// (sqlite3_load_extension with the default entry point, sqlite3_penalty_init),
	// and turns extension loading off again afterwards.
	sql.Register("sqlite3_penalty", &sqlite3.SQLiteDriver{Extensions: []string{module}})
	con, err := sql.Open("sqlite3_penalty", "file:"+db+"?mode=ro")
	if err != nil {
		return err
	}
	defer con.Close()
	rows, err := con.Query(closures)
	if err != nil {
		return err
	}
	defer rows.Close()
	var shops, crowns int
	var total, largest int64
	for rows.Next() {
		var name, level, closureAt string
		var turnover, credit, points, repeats int64
		if err := rows.Scan(&name, &level, &turnover, &credit, &points, &repeats, &closureAt); err != nil {
			return err
		}
		fmt.Printf("%s|%s|%d|%d|%d|%s\n", name, level, turnover, points, repeats, closureAt)
		shops++
		if credit >= 10001 {
			crowns++
		}
		total += turnover
		if turnover > largest {
			largest = turnover
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	fmt.Printf("%d shops to be closed, %d of them crown level or above, turnover ¥%s a year in all (largest ¥%s)\n",
		shops, crowns, grouped(total), grouped(largest))
	return nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: closures DB MODULE")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "closures:", err)
		os.Exit(1)
	}
}
