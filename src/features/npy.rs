//! Minimal NPY files of little-endian float32 in C order: written in format version 1.0 (read by
//! `numpy.load`), read back in versions 1.0-3.0. Used by the CLI (`--out F.npy`) and the tests.

use super::VectorRows;
use std::io::{Read, Write};

/// Magic bytes that open every NPY file.
const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// numpy aligns the header so that the data starts at a multiple of this many bytes.
const ALIGNMENT: usize = 64;
/// The only element type supported: little-endian float32.
const DESCR: &str = "<f4";

/// Errors while writing or reading NPY data.
#[derive(Debug, thiserror::Error)]
pub enum NpyError {
    /// The underlying reader or writer failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The data does not start with the NPY magic bytes.
    #[error("not an NPY file (the magic bytes are missing)")]
    BadMagic,
    /// A format version other than 1.0, 2.0 or 3.0.
    #[error("unsupported NPY format version {major}.{minor}")]
    Version {
        /// Major version byte.
        major: u8,
        /// Minor version byte.
        minor: u8,
    },
    /// The header dictionary could not be understood.
    #[error("malformed NPY header: {0}")]
    Header(String),
    /// An element type other than little-endian float32.
    #[error("unsupported dtype {0:?}: only little-endian float32 ('<f4') is supported")]
    Dtype(String),
    /// The array is stored in Fortran (column-major) order.
    #[error("Fortran-order arrays are not supported, only C order")]
    FortranOrder,
    /// The number of values does not match the shape.
    #[error("shape {shape:?} holds {expected} values but there are {actual}")]
    ShapeMismatch {
        /// The declared shape.
        shape: Vec<usize>,
        /// Values the shape holds.
        expected: usize,
        /// Values present.
        actual: usize,
    },
    /// The file names the problem's source.
    #[error("{path}: {error}")]
    InFile {
        /// The file.
        path: String,
        /// What went wrong in it.
        error: Box<NpyError>,
    },
}

/// An array read from NPY data: its shape and its values in C order.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyArray {
    /// Dimensions, outermost first (empty for a scalar).
    pub shape: Vec<usize>,
    /// Values in C (row-major) order.
    pub data: Vec<f32>,
}

/// Number of values an array of `shape` holds, or `None` on overflow.
fn element_count(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d))
}

/// The header dictionary, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
fn header_dict(shape: &[usize]) -> String {
    let dims = match shape {
        [single] => format!("({single},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("{{'descr': '{DESCR}', 'fortran_order': False, 'shape': {dims}, }}")
}

/// The complete NPY 1.0 header for `shape`: magic, version, length and the space-padded,
/// newline-terminated dictionary, sized to a multiple of 64 bytes.
fn header_bytes(shape: &[usize]) -> Result<Vec<u8>, NpyError> {
    let dict = header_dict(shape);
    let prefix_len = MAGIC.len() + 2 + 2;
    let unpadded = prefix_len + dict.len() + 1;
    let padded = unpadded.div_ceil(ALIGNMENT) * ALIGNMENT;
    let header_len = u16::try_from(padded - prefix_len).map_err(|_| {
        NpyError::Header(format!("shape {shape:?} is too long for an NPY 1.0 header"))
    })?;
    let mut bytes = Vec::with_capacity(padded);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&[1, 0]);
    bytes.extend_from_slice(&header_len.to_le_bytes());
    bytes.extend_from_slice(dict.as_bytes());
    bytes.resize(padded - 1, b' ');
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes `data` (C order) with dimensions `shape` as NPY 1.0 float32 to `writer`.
pub fn write_f32<W: Write>(mut writer: W, shape: &[usize], data: &[f32]) -> Result<(), NpyError> {
    let expected = element_count(shape).unwrap_or(usize::MAX);
    if expected != data.len() {
        return Err(NpyError::ShapeMismatch {
            shape: shape.to_vec(),
            expected,
            actual: data.len(),
        });
    }
    writer.write_all(&header_bytes(shape)?)?;
    write_values(&mut writer, std::iter::once(data))
}

/// Writes the rows (e.g. a clip's stacked vectors read from its frames, docs/DESIGN.md §13.1) as
/// an NPY 1.0 float32 array `[rows.len(), rows.dim()]`, without first copying them into one
/// array.
pub fn write_rows<W: Write>(mut writer: W, rows: &dyn VectorRows) -> Result<(), NpyError> {
    writer.write_all(&header_bytes(&[rows.len(), rows.dim()])?)?;
    write_values(&mut writer, (0..rows.len()).map(|i| rows.row(i)))
}

/// Writes the values of `slices` in order as little-endian f32, in chunks of 64 KB (a dozen
/// `write` calls for a 10-s clip's vectors). Each slice is converted in runs that fit the chunk,
/// a loop over fixed 4-byte groups the compiler turns into a plain copy: converting value by
/// value, with a capacity check each, took an eighth of `features --out-dir`'s time.
fn write_values<'a, W: Write>(
    writer: &mut W,
    slices: impl Iterator<Item = &'a [f32]>,
) -> Result<(), NpyError> {
    const CHUNK_BYTES: usize = 64 << 10;
    let mut chunk = Vec::with_capacity(CHUNK_BYTES);
    for slice in slices {
        let mut rest = slice;
        while !rest.is_empty() {
            if chunk.len() == CHUNK_BYTES {
                writer.write_all(&chunk)?;
                chunk.clear();
            }
            let room = (CHUNK_BYTES - chunk.len()) / 4;
            let (part, later) = rest.split_at(room.min(rest.len()));
            let start = chunk.len();
            chunk.resize(start + 4 * part.len(), 0);
            for (bytes, value) in chunk[start..].chunks_exact_mut(4).zip(part) {
                bytes.copy_from_slice(&value.to_le_bytes());
            }
            rest = later;
        }
    }
    writer.write_all(&chunk)?;
    writer.flush()?;
    Ok(())
}

/// The NPY bytes of `data` with dimensions `shape` (for downloads or in-memory use).
pub fn to_bytes(shape: &[usize], data: &[f32]) -> Result<Vec<u8>, NpyError> {
    let mut bytes = Vec::new();
    write_f32(&mut bytes, shape, data)?;
    Ok(bytes)
}

/// Reads the header of NPY data (format 1.0-3.0) and returns the dictionary text.
fn read_header<R: Read>(reader: &mut R) -> Result<String, NpyError> {
    let mut magic = [0u8; 8];
    reader.read_exact(&mut magic)?;
    if &magic[..6] != MAGIC {
        return Err(NpyError::BadMagic);
    }
    let header_len = match (magic[6], magic[7]) {
        (1, 0) => {
            let mut len = [0u8; 2];
            reader.read_exact(&mut len)?;
            usize::from(u16::from_le_bytes(len))
        }
        (2 | 3, 0) => {
            let mut len = [0u8; 4];
            reader.read_exact(&mut len)?;
            u32::from_le_bytes(len) as usize
        }
        (major, minor) => return Err(NpyError::Version { major, minor }),
    };
    let mut dict = Vec::new();
    reader.take(header_len as u64).read_to_end(&mut dict)?;
    if dict.len() != header_len {
        return Err(NpyError::Header("the header ends early".into()));
    }
    String::from_utf8(dict).map_err(|_| NpyError::Header("the header is not text".into()))
}

/// The text after `'key':` in a header dictionary.
fn dict_value<'a>(dict: &'a str, key: &str) -> Result<&'a str, NpyError> {
    let quoted = format!("'{key}'");
    let start = dict
        .find(&quoted)
        .ok_or_else(|| NpyError::Header(format!("no {quoted} entry")))?;
    let rest = dict[start + quoted.len()..].trim_start();
    rest.strip_prefix(':')
        .map(str::trim_start)
        .ok_or_else(|| NpyError::Header(format!("no ':' after {quoted}")))
}

/// Parses `descr`, `fortran_order` and `shape`, accepting only C-order `<f4`.
fn parse_shape(dict: &str) -> Result<Vec<usize>, NpyError> {
    let descr = dict_value(dict, "descr")?;
    let descr = descr
        .strip_prefix('\'')
        .and_then(|d| d.split('\'').next())
        .unwrap_or(descr);
    if descr != DESCR {
        return Err(NpyError::Dtype(descr.to_string()));
    }
    if !dict_value(dict, "fortran_order")?.starts_with("False") {
        return Err(NpyError::FortranOrder);
    }
    let shape = dict_value(dict, "shape")?;
    let inner = shape
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| NpyError::Header(format!("shape is not a tuple: {shape}")))?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            d.parse::<usize>()
                .map_err(|_| NpyError::Header(format!("bad dimension {d:?}")))
        })
        .collect()
}

/// Reads NPY float32 data (C order, little-endian) from `reader`.
pub fn read_f32<R: Read>(mut reader: R) -> Result<NpyArray, NpyError> {
    let shape = parse_shape(&read_header(&mut reader)?)?;
    let expected = element_count(&shape)
        .ok_or_else(|| NpyError::Header(format!("shape {shape:?} is too large")))?;
    let mut bytes = Vec::new();
    reader
        .take((expected as u64).saturating_mul(4))
        .read_to_end(&mut bytes)?;
    if bytes.len() != expected * 4 {
        return Err(NpyError::ShapeMismatch {
            shape,
            expected,
            actual: bytes.len() / 4,
        });
    }
    let data = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok(NpyArray { shape, data })
}

/// Writes an NPY float32 file; errors name the file.
#[cfg(not(target_arch = "wasm32"))]
pub fn save(
    path: impl AsRef<std::path::Path>,
    shape: &[usize],
    data: &[f32],
) -> Result<(), NpyError> {
    let path = path.as_ref();
    let in_file = |error: NpyError| NpyError::InFile {
        path: path.display().to_string(),
        error: Box::new(error),
    };
    let file = std::fs::File::create(path).map_err(|e| in_file(e.into()))?;
    write_f32(std::io::BufWriter::new(file), shape, data).map_err(in_file)
}

/// Reads an NPY float32 file; errors name the file.
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: impl AsRef<std::path::Path>) -> Result<NpyArray, NpyError> {
    let path = path.as_ref();
    let in_file = |error: NpyError| NpyError::InFile {
        path: path.display().to_string(),
        error: Box::new(error),
    };
    let file = std::fs::File::open(path).map_err(|e| in_file(e.into()))?;
    read_f32(std::io::BufReader::new(file)).map_err(in_file)
}
