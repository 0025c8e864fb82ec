"""Builds quotaflow._core with the project's own CMake, so pip and CMake compile the same thing.

    /usr/bin/python3 -m pip install --no-build-isolation .

needs only Debian's packages (cmake, ninja-build, pybind11-dev, libboost-dev, libmsgsl-dev).
QUOTAFLOW_BUILD_TYPE (default Release) sets the CMake build type of the module, e.g. Debug.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.check_call([
            "cmake", "-S", str(ROOT), "-B", str(build_dir), *generator,
            f"-DCMAKE_BUILD_TYPE={os.environ.get('QUOTAFLOW_BUILD_TYPE', 'Release')}", "-DQUOTAFLOW_BUILD_PYTHON=ON", "-DQUOTAFLOW_BUILD_TESTS=OFF",
            "-DQUOTAFLOW_BUILD_CLI=OFF", "-DQUOTAFLOW_BUILD_EXAMPLES=OFF", "-DQUOTAFLOW_INSTALL=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_core", "-j", jobs])
        built = next((build_dir / "python" / "quotaflow").glob("_core*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(
    packages=["quotaflow"],
    package_dir={"quotaflow": "bindings/python/quotaflow"},
    package_data={"quotaflow": ["py.typed", "*.pyi"]},
    ext_modules=[Extension("quotaflow._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
