//! Ids used twice in a layer. Features without an id (shown as `#N`) are not compared.

use std::collections::HashMap;

use crate::engine::findings::{Finding, FindingKind};
use crate::engine::model::LayerKind;

/// Each feature whose id an earlier feature of the layer already has (in one pass, hashed).
pub fn duplicates<'a>(
    out: &mut Vec<Finding>,
    layer: LayerKind,
    ids: impl Iterator<Item = &'a str>,
) {
    // Sized once: growing it by doubling held the old table beside the new (a million ids:
    // 78 MB at the last step rather than 52).
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(ids.size_hint().0);
    for (i, id) in ids.enumerate() {
        if id.starts_with('#') {
            continue;
        }
        match first.get(id) {
            Some(&j) => out.push(Finding::new(
                FindingKind::DuplicateId { other: j + 1 },
                layer,
                i,
                id,
            )),
            None => {
                first.insert(id, i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_id_names_its_first_use() {
        let mut out = Vec::new();
        duplicates(
            &mut out,
            LayerKind::Parcels,
            ["A", "B", "A", "#4", "#4", "A"].into_iter(),
        );
        let found: Vec<(usize, Option<usize>)> =
            out.iter().map(|f| (f.feature, f.other())).collect();
        assert_eq!(found, [(3, Some(1)), (6, Some(1))]);
    }
}
