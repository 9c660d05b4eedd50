//! Layout detection: where each audio file sits in the folder tree, and which data set root all
//! files agree on (docs/DESIGN.md §1.1).
//!
//! A file is *placed* by the folders right above it, read from the file upwards:
//! - DCASE: `<type>/{train,test}/<file>`;
//! - MIMII: `<type>/id_XX/{normal,abnormal}/<file>`.
//!
//! The `<type>` folder may be missing when the data set root is itself one machine type
//! (`fan/` holding `train/` and `test/`): the root folder's name is then the type. Any folders
//! above `<type>` (`dev_data/`, `-6_dB_fan/`) are a wrapper prefix. All placed files must share
//! one layout family and one prefix, otherwise the tree is ambiguous (two data sets in one
//! folder) and the caller reports it.

use crate::data::names::{dcase_split_folder, mimii_label_folder, parse_machine_id};
use crate::data::{Label, Split};

/// An audio file with its normalised relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioPath {
    /// '/'-separated path relative to the data set root, no empty or `.` components.
    pub rel_path: String,
    /// The components of `rel_path`; the last one is the file name.
    pub components: Vec<String>,
}

impl AudioPath {
    /// The file name (last component).
    pub fn file_name(&self) -> &str {
        self.components
            .last()
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// The two layout families; DCASE dev and eval differ only in their file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// `<type>/{train,test}/<labelled file name>`
    Dcase,
    /// `<type>/id_XX/{normal,abnormal}/<any name>`
    Mimii,
}

/// Where the machine-type folders are, relative to the data set root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeFolders {
    /// The root is itself one machine type; its folder name is the type.
    RootIsType,
    /// Machine-type folders sit under this prefix ("" = directly in the root).
    Under(String),
}

/// The one root every placed file must agree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RootKey {
    /// Layout family.
    pub family: Family,
    /// Where the machine-type folders are.
    pub type_folders: TypeFolders,
}

impl RootKey {
    /// A short human description, used in ambiguity messages.
    pub fn describe(&self) -> String {
        let family = match self.family {
            Family::Dcase => "DCASE",
            Family::Mimii => "MIMII",
        };
        match &self.type_folders {
            TypeFolders::RootIsType => format!("{family}, the folder itself is one machine type"),
            TypeFolders::Under(p) if p.is_empty() => format!("{family}, machine types at the top"),
            TypeFolders::Under(p) => format!("{family}, machine types inside '{p}/'"),
        }
    }
}

/// What the folders above a file say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// A DCASE file in `train/` or `test/`; label and ID come from the file name.
    Dcase {
        /// The split folder it is in.
        split: Split,
    },
    /// A MIMII file; ID and label come from its folders.
    Mimii {
        /// The `id_XX` folder.
        machine_id: String,
        /// `normal/` → Normal, `abnormal/` → Anomaly.
        label: Label,
    },
}

/// An audio file placed in a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<'a> {
    /// The file.
    pub path: &'a AudioPath,
    /// The root it implies.
    pub root: RootKey,
    /// The machine type (folder name); `None` when the root is the type and its name is unknown.
    pub machine_type: Option<String>,
    /// Split folder or MIMII ID/label folders.
    pub position: Position,
}

/// Place one file by the folders above it; `None` when it fits no layout. `root_name` is the name
/// of the data set root folder, used as the machine type when the root is one type.
pub fn place<'a>(path: &'a AudioPath, root_name: Option<&str>) -> Option<Placed<'a>> {
    let folders = &path.components[..path.components.len().saturating_sub(1)];
    let (position, family, type_index) = position_of(folders)?;
    let (type_folders, machine_type) = match type_index {
        Some(i) => (
            TypeFolders::Under(folders[..i].join("/")),
            Some(folders[i].clone()),
        ),
        None => (TypeFolders::RootIsType, root_name.map(str::to_owned)),
    };
    Some(Placed {
        path,
        root: RootKey {
            family,
            type_folders,
        },
        machine_type,
        position,
    })
}

/// The position a file's folders give, its family, and the index of its machine-type folder
/// (`None` when the folders start right below the type, i.e. the root is the type).
fn position_of(folders: &[String]) -> Option<(Position, Family, Option<usize>)> {
    let n = folders.len();
    let parent = folders.last()?;
    if let Some(split) = dcase_split_folder(parent) {
        return Some((Position::Dcase { split }, Family::Dcase, n.checked_sub(2)));
    }
    let label = mimii_label_folder(parent)?;
    let machine_id = parse_machine_id(folders.get(n.checked_sub(2)?)?)?;
    Some((
        Position::Mimii { machine_id, label },
        Family::Mimii,
        n.checked_sub(3),
    ))
}

/// The roots the placed files imply, each with its first example path, sorted.
pub fn distinct_roots<'a>(placed: &[Placed<'a>]) -> Vec<(RootKey, &'a str)> {
    let mut roots: Vec<(RootKey, &'a str)> = Vec::new();
    for p in placed {
        if !roots.iter().any(|(r, _)| *r == p.root) {
            roots.push((p.root.clone(), p.path.rel_path.as_str()));
        }
    }
    roots.sort();
    roots
}

/// Why a file that fits no layout is rejected, given the layout the other files use.
pub fn unplaced_reason(family: Family) -> String {
    match family {
        Family::Dcase => "not inside a <type>/train/ or <type>/test/ folder \
                          (DCASE layout, e.g. 'fan/train/normal_id_00_00000000.wav')"
            .to_owned(),
        Family::Mimii => "not inside a <type>/id_XX/normal/ or <type>/id_XX/abnormal/ folder \
                          (MIMII layout, e.g. 'fan/id_00/normal/00000000.wav')"
            .to_owned(),
    }
}

/// Normalise a relative path: `\` becomes `/`, empty and `.` components are dropped. Returns the
/// components; empty for a path with none.
pub fn path_components(path: &str) -> Vec<String> {
    path.replace('\\', "/")
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_owned)
        .collect()
}
