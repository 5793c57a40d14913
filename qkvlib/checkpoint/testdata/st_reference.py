#!/usr/bin/env python3
"""Independent reference for the checkpoint tests: numpy alone, no Go code.

  st_reference.py tensors FILE OUTDIR   decode every tensor of a safetensors file into
                                        OUTDIR/<name>.f32 (little-endian float32) and print a
                                        JSON summary: metadata, and per tensor dtype, shape,
                                        mean, std, and for mask buffers whether they are tril.
  st_reference.py f16decode OUT         all 65536 float16 bit patterns as float32
  st_reference.py f16encode IN OUT      float32 values (IN) rounded to float16 bits (OUT)
"""
import json
import struct
import sys

import numpy as np


def read(path):
    with open(path, "rb") as f:
        b = f.read()
    (n,) = struct.unpack("<Q", b[:8])
    return json.loads(b[8 : 8 + n]), b[8 + n :]


def decode(dtype, raw):
    if dtype == "F32":
        return np.frombuffer(raw, "<f4")
    if dtype == "F16":
        return np.frombuffer(raw, "<f2").astype(np.float32)
    if dtype == "BF16":  # bfloat16 is the top half of a float32
        return (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
    raise ValueError(dtype)


def main():
    cmd = sys.argv[1]
    if cmd == "tensors":
        header, data = read(sys.argv[2])
        out = sys.argv[3]
        summary = {}
        for name, e in header.items():
            if name == "__metadata__":
                continue
            a, z = e["data_offsets"]
            v = decode(e["dtype"], data[a:z]).reshape(e["shape"])
            v.astype("<f4").tofile(f"{out}/{name}.f32")
            s = {"dtype": e["dtype"], "shape": e["shape"], "mean": float(v.mean()), "std": float(v.std())}
            if name.endswith("attn.bias") and v.ndim == 4:
                p = v.shape[-1]
                s["tril"] = bool((v[0, 0] == np.tril(np.ones((p, p), np.float32))).all())
            summary[name] = s
        json.dump({"metadata": header.get("__metadata__"), "tensors": summary}, sys.stdout)
    elif cmd == "f16decode":
        np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).astype("<f4").tofile(sys.argv[2])
    elif cmd == "f16encode":
        with np.errstate(over="ignore"):  # overflow to inf is what is tested
            np.fromfile(sys.argv[2], "<f4").astype(np.float16).view("<u2").tofile(sys.argv[3])
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
