"""NumPy oracle for libcgan's .npy/.npz reader and writer.

  numpy_npz.py fixtures DIR   write DIR/savez.npz, savez_compressed.npz, *.npy
                              and foreign.zip (read by tests/check_npz.c)
  numpy_npz.py verify FILE... numpy.load each archive written by libcgan
                              (tests/oracles/npz_write.c) and check every value

Values follow closed formulas that tests/check_npz.c and npz_write.c repeat,
so no expected values are stored besides the arrays themselves.
"""
import sys
import zipfile

import numpy as np


def content():
    """The members of both fixture archives."""
    return {
        "f4": (np.arange(24, dtype=np.float32) * 0.25 - 1).reshape(2, 3, 4),
        "f8": np.arange(5, dtype=np.float64) / 3.0,
        "i8": np.array([-(2**40), -1, 0, 2**62], dtype=np.int64),
        "i4": np.array([[1, -2], [3, -4]], dtype=np.int32),
        "u1": np.arange(256, dtype=np.uint8),
        "b1": np.array([True, False, True]),
        "scalar": np.float32(2.5),
        "step": np.int64(12345),
        "names": np.array(["900C 0.001/s", "\u00b5m\u00b2 ok", ""]),
        "bnames": np.array([b"abc", b"de"]),
        "fortran": np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4)),
        "big": np.array([1.5, -2.0, 3e10], dtype=">f4"),
        "half": np.array([0.5, -65504.0], dtype=np.float16),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "u8big": np.array([2**63], dtype=np.uint64),
        "float_int": np.array([3.0, -4.0], dtype=np.float32),
        "float_frac": np.array([0.5], dtype=np.float64),
        "generator.fc.weight": np.arange(6, dtype=np.float32).reshape(3, 2),
        "f4_5d": np.arange(6, dtype=np.float32).reshape(1, 1, 1, 2, 3),
    }


def fixtures(out):
    c = content()
    assert c["fortran"].flags.f_contiguous and not c["fortran"].flags.c_contiguous
    np.savez(f"{out}/savez.npz", **c)
    np.savez_compressed(f"{out}/savez_compressed.npz", **c)
    np.save(f"{out}/z.npy", (np.arange(3 * 8, dtype=np.float32) * 0.125 - 1).reshape(3, 8))
    np.save(f"{out}/f8.npy", np.arange(4, dtype=np.float64).reshape(2, 2) + 0.5)
    with open(f"{out}/v2.npy", "wb") as f:
        np.lib.format.write_array(f, np.arange(3, dtype=np.float32), version=(2, 0))
    np.save(f"{out}/names.npy", np.array(["a", "b"]))
    # A zip that is no .npz: a text member and a bzip2-compressed one.
    with zipfile.ZipFile(f"{out}/foreign.zip", "w") as z:
        z.writestr("readme.txt", "not an array")
        z.writestr("data.npy", b"x" * 100, compress_type=zipfile.ZIP_BZIP2)


def written():
    """What npz_write.c puts in each archive it writes."""
    return {
        "f4": (np.arange(24, dtype=np.float32) * 0.25 - 1).reshape(2, 3, 4),
        "i8": np.array([-(2**40), -1, 0, 2**62], dtype=np.int64),
        "scalar": np.float32(2.5),
        "step": np.int64(12345),
        "rng": np.arange(48, dtype=np.uint8),
        "names": np.array(["900C 0.001/s", "\u00b5m\u00b2 ok", ""]),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "f4_5d": np.arange(6, dtype=np.float32).reshape(1, 1, 1, 2, 3),
        "generator.fc.weight": np.arange(6, dtype=np.float32).reshape(3, 2),
    }


def verify(paths):
    want = written()
    for p in paths:
        if p.endswith(".npy"):
            a = np.load(p)
            e = (np.arange(3 * 8, dtype=np.float32) * 0.125 - 1).reshape(3, 8)
            assert a.dtype == e.dtype and a.shape == e.shape and np.array_equal(a, e), p
            print(f"numpy.load {p}: ok")
            continue
        with zipfile.ZipFile(p) as z:
            assert z.testzip() is None, f"{p}: CRC error"
        with np.load(p) as f:
            assert sorted(f.files) == sorted(want), (p, f.files)
            for k, e in want.items():
                a = f[k]
                assert a.dtype == e.dtype, (p, k, a.dtype, e.dtype)
                assert a.shape == e.shape, (p, k, a.shape, e.shape)
                assert np.array_equal(a, e), (p, k)
        print(f"numpy.load {p}: {len(want)} members ok")


if __name__ == "__main__":
    if sys.argv[1] == "fixtures":
        fixtures(sys.argv[2])
    elif sys.argv[1] == "verify":
        verify(sys.argv[2:])
    else:
        sys.exit(__doc__)
