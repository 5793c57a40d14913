# Writes the numpy fixtures of the npz tests (numpy 1.24.2, Debian bookworm):
#   cd qkvlib/npz/testdata && /usr/bin/python3 make_fixtures.py
import numpy as np

f4 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.25) - np.float32(1.5)
i8 = np.arange(6, dtype=np.int64).reshape(3, 2) * (1 << 40) - 7
np.save("f4_2x3x4.npy", f4)
np.save("i8_3x2.npy", i8)
np.save("f4_empty_0x5.npy", np.zeros((0, 5), np.float32))
np.save("f4_scalar.npy", np.float32(2.5))
np.save("i8_1d_5.npy", np.array([-2, -1, 0, 1, 2], np.int64))
with open("f4_v2_2x3x4.npy", "wb") as f:
    np.lib.format.write_array(f, f4, version=(2, 0))
np.save("f4_fortran_2x3.npy", np.asfortranarray(f4[0, :, :3]))
np.save("f8_2.npy", np.array([1.0, 2.0]))
np.save("f4_bigendian_2.npy", np.array([1.0, 2.0], dtype=">f4"))
np.savez("savez.npz", f4=f4, i8=i8)
