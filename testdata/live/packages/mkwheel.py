"""Writes the wheel strata_demo 1.0.0 (a pure-Python package) into the
directory given, as a wheel builder would: the package, its .dist-info with
METADATA, WHEEL and a RECORD of every file's sha256 and size."""
import base64
import hashlib
import os
import sys
import zipfile

files = {
    "strata_demo/__init__.py": 'GREETING = "hello from strata_demo"\n',
    "strata_demo-1.0.0.dist-info/METADATA": (
        "Metadata-Version: 2.1\nName: strata-demo\nVersion: 1.0.0\n"
        "Summary: A wheel strata's live tests install with pip\n"
    ),
    "strata_demo-1.0.0.dist-info/WHEEL": (
        "Wheel-Version: 1.0\nGenerator: strata mkwheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ),
}
record = []
for name, body in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(body.encode()).digest()).rstrip(b"=").decode()
    record.append(f"{name},sha256={digest},{len(body.encode())}")
record.append("strata_demo-1.0.0.dist-info/RECORD,,")
files["strata_demo-1.0.0.dist-info/RECORD"] = "\n".join(record) + "\n"

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
with zipfile.ZipFile(os.path.join(out, "strata_demo-1.0.0-py3-none-any.whl"), "w") as whl:
    for name, body in files.items():
        whl.writestr(name, body)
