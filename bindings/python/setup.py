"""setup.py — only makes the wheel platform-specific: it carries penalty.so,
a Linux x86-64 shared object, but no Python extension module, so it is tagged
py3-none-linux_x86_64 (any Python 3, this platform), never py3-none-any, and
its files go to platlib. Everything else is in pyproject.toml."""
from setuptools import Distribution, setup
from wheel.bdist_wheel import bdist_wheel


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
