//! Weight (de)serialisation and parameter inspection.
//!
//! Format (little-endian), chosen so that saving needs exactly one device read, which can be
//! asynchronous in the browser, and so that corruption is detected:
//! `b"SONOGANW"` · version u32 · entry count u32 · per entry (name length u32, UTF-8 name,
//! rank u32, dims u64 × rank) · all values as f32 · FNV-1a-64 checksum of everything before it.
//! Entry names are `<network>/<module path>` (e.g. `G/decoder.blocks.0.linear.weight`).

use std::collections::HashMap;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

use super::ModelError;

const MAGIC: &[u8; 8] = b"SONOGANW";
const VERSION: u32 = 1;

/// All weights of a model, still on the device; serialise with [`WeightSnapshot::into_bytes`]
/// (synchronous read) or [`WeightSnapshot::into_bytes_async`] (browser-safe).
pub struct WeightSnapshot {
    entries: Vec<(String, Vec<usize>)>,
    values: Vec<Tensor<1>>,
}

impl WeightSnapshot {
    /// An empty snapshot.
    pub(crate) fn new() -> Self {
        Self {
            entries: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Adds every float tensor of `module` (parameters and running statistics) under `network`.
    /// Pass a `valid()` copy so pending running-statistic updates are merged.
    pub(crate) fn add<M: Module>(mut self, network: &str, module: &M) -> Self {
        let mut collector = TensorCollector::new(network);
        module.visit(&mut collector);
        for (name, shape, flat) in collector.tensors {
            self.entries.push((name, shape));
            self.values.push(flat);
        }
        self
    }

    /// The entry names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|(name, _)| name.as_str()).collect()
    }

    /// Serialises the weights, reading them from the device synchronously (not on WebGPU).
    pub fn into_bytes(self) -> Result<Vec<u8>, ModelError> {
        let (entries, joined) = self.split();
        let values = match joined {
            Some(tensor) => read_f32(tensor.try_into_data())?,
            None => Vec::new(),
        };
        Ok(encode(&entries, &values))
    }

    /// Serialises the weights with an asynchronous device read (safe on WebGPU).
    pub async fn into_bytes_async(self) -> Result<Vec<u8>, ModelError> {
        let (entries, joined) = self.split();
        let values = match joined {
            Some(tensor) => read_f32(tensor.into_data_async().await)?,
            None => Vec::new(),
        };
        Ok(encode(&entries, &values))
    }

    fn split(self) -> (Vec<(String, Vec<usize>)>, Option<Tensor<1>>) {
        let joined = (!self.values.is_empty()).then(|| Tensor::cat(self.values, 0));
        (self.entries, joined)
    }
}

pub(crate) fn read_f32<E: std::fmt::Debug>(
    data: Result<TensorData, E>,
) -> Result<Vec<f32>, ModelError> {
    data.map_err(|e| ModelError::Read(format!("{e:?}")))?
        .convert::<f32>()
        .try_into_vec::<f32>()
        .map_err(|e| ModelError::Read(format!("{e:?}")))
}

fn encode(entries: &[(String, Vec<usize>)], values: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + values.len() * 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (name, shape) in entries {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(shape.len() as u32).to_le_bytes());
        for dim in shape {
            out.extend_from_slice(&(*dim as u64).to_le_bytes());
        }
    }
    for value in values {
        out.extend_from_slice(&value.to_le_bytes());
    }
    let checksum = fnv1a64(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Decoded weights: entry name → (shape, values).
pub(crate) struct WeightTable {
    tensors: HashMap<String, (Vec<usize>, Vec<f32>)>,
}

impl WeightTable {
    /// Parses and verifies bytes written by [`WeightSnapshot::into_bytes`].
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, ModelError> {
        let corrupt =
            |what: &str| ModelError::Weights(format!("corrupt or truncated data ({what})"));
        if bytes.len() < MAGIC.len() + 16 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ModelError::Weights(
                "not a sonogan weight blob (bad magic bytes)".to_string(),
            ));
        }
        let (body, tail) = bytes.split_at(bytes.len() - 8);
        let stored = u64::from_le_bytes(tail.try_into().map_err(|_| corrupt("checksum"))?);
        if fnv1a64(body) != stored {
            return Err(corrupt("checksum mismatch"));
        }
        let mut reader = Reader {
            bytes: body,
            at: MAGIC.len(),
        };
        let version = reader.u32().ok_or_else(|| corrupt("version"))?;
        if version != VERSION {
            return Err(ModelError::Weights(format!(
                "unsupported weight format version {version} (expected {VERSION})"
            )));
        }
        let count = reader.u32().ok_or_else(|| corrupt("entry count"))? as usize;
        let mut headers = Vec::new();
        for _ in 0..count {
            headers.push(
                reader
                    .entry_header()
                    .ok_or_else(|| corrupt("entry header"))?,
            );
        }
        let mut tensors = HashMap::new();
        for (name, shape) in headers {
            let length = shape
                .iter()
                .try_fold(1usize, |acc, dim| acc.checked_mul(*dim))
                .ok_or_else(|| corrupt("tensor size"))?;
            let values = reader
                .f32s(length)
                .ok_or_else(|| corrupt("tensor values"))?;
            if tensors.insert(name.clone(), (shape, values)).is_some() {
                return Err(ModelError::Weights(format!("duplicate entry '{name}'")));
            }
        }
        if reader.at != body.len() {
            return Err(corrupt("trailing bytes"));
        }
        Ok(Self { tensors })
    }

    /// Loads the entries under `network` into `module` (same architecture), failing on any
    /// missing tensor or shape mismatch. Entries used are removed from the table.
    pub(crate) fn load_into<M: Module>(
        &mut self,
        network: &str,
        module: M,
    ) -> Result<M, ModelError> {
        let mut loader = TensorLoader {
            network: network.to_string(),
            path: Vec::new(),
            table: &mut self.tensors,
            problems: Vec::new(),
        };
        let module = module.map(&mut loader);
        match loader.problems.is_empty() {
            true => Ok(module),
            false => Err(ModelError::Weights(loader.problems.join("; "))),
        }
    }

    /// Fails if entries remain that no network consumed (a different architecture).
    pub(crate) fn ensure_consumed(&self) -> Result<(), ModelError> {
        if self.tensors.is_empty() {
            return Ok(());
        }
        let mut names: Vec<&str> = self.tensors.keys().map(String::as_str).collect();
        names.sort_unstable();
        Err(ModelError::Weights(format!(
            "entries that this model does not have: {}",
            names.join(", ")
        )))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn entry_header(&mut self) -> Option<(String, Vec<usize>)> {
        let name_len = self.u32()? as usize;
        let name = String::from_utf8(self.take(name_len)?.to_vec()).ok()?;
        let rank = self.u32()? as usize;
        if rank > 8 {
            return None;
        }
        let shape = (0..rank)
            .map(|_| self.u64().and_then(|d| usize::try_from(d).ok()))
            .collect::<Option<Vec<usize>>>()?;
        Some((name, shape))
    }

    fn f32s(&mut self, count: usize) -> Option<Vec<f32>> {
        let bytes = self.take(count.checked_mul(4)?)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

/// Collects `(name, shape, flattened tensor)` for every float tensor of a module.
struct TensorCollector {
    network: String,
    path: Vec<String>,
    tensors: Vec<(String, Vec<usize>, Tensor<1>)>,
}

impl TensorCollector {
    fn new(network: &str) -> Self {
        Self {
            network: network.to_string(),
            path: Vec::new(),
            tensors: Vec::new(),
        }
    }
}

/// `<network>/<a.b.c>`.
fn entry_name(network: &str, path: &[String]) -> String {
    format!("{network}/{}", path.join("."))
}

impl ModuleVisitor for TensorCollector {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val();
        let shape = tensor.dims().to_vec();
        let flat = tensor.reshape([shape.iter().product::<usize>()]);
        let name = entry_name(&self.network, &self.path);
        self.tensors.push((name, shape, flat));
    }
}

/// Replaces every float tensor of a module by the table entry of the same name.
struct TensorLoader<'a> {
    network: String,
    path: Vec<String>,
    table: &'a mut HashMap<String, (Vec<usize>, Vec<f32>)>,
    problems: Vec<String>,
}

impl ModuleMapper for TensorLoader<'_> {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let name = entry_name(&self.network, &self.path);
        let expected = param.lazy_shape().dims::<D>().to_vec();
        let Some((shape, values)) = self.table.remove(&name) else {
            self.problems.push(format!("missing tensor '{name}'"));
            return param;
        };
        if shape != expected {
            self.problems.push(format!(
                "'{name}' has shape {shape:?}, the model expects {expected:?}"
            ));
            return param;
        }
        let device = param.lazy_device();
        let tensor = Tensor::<D>::from_data(TensorData::new(values, shape), &device);
        let id = param.id;
        param.transform_for_load(tensor, id)
    }
}

/// The trainable parameters of `module`, flattened in visiting order (running statistics
/// excluded). A synchronous read.
pub(crate) fn trainable_values<M: Module>(module: &M) -> Result<Vec<f32>, ModelError> {
    let mut collector = TensorCollector::new("");
    module.visit(&mut collector);
    let flats: Vec<Tensor<1>> = collector
        .tensors
        .into_iter()
        .filter(|(name, _, _)| !is_running_statistic(name))
        .map(|(_, _, flat)| flat)
        .collect();
    if flats.is_empty() {
        return Ok(Vec::new());
    }
    read_f32(Tensor::cat(flats, 0).try_into_data())
}

/// Whether an entry name denotes a BatchNorm running statistic rather than a trainable weight.
pub(crate) fn is_running_statistic(name: &str) -> bool {
    name.ends_with("running_mean") || name.ends_with("running_var")
}

/// Every float tensor of `module` as `(path, shape, flattened values)` in visiting order.
pub(crate) fn named_tensors<M: Module>(module: &M) -> Vec<(String, Vec<usize>, Tensor<1>)> {
    let mut collector = TensorCollector::new("");
    module.visit(&mut collector);
    collector.tensors
}
