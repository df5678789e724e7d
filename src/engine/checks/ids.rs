//! Ids used twice in a layer. Features without an id (shown as `#N`) are not compared.

use std::collections::HashMap;

use crate::engine::findings::{Finding, FindingKind};
use crate::engine::model::LayerKind;

/// Each feature whose id an earlier feature of the layer already has (in one pass, hashed).
/// `ids` are the features there are (deleted ones left out), with their positions.
pub fn duplicates<'a>(
    out: &mut Vec<Finding>,
    layer: LayerKind,
    ids: impl Iterator<Item = (usize, &'a str)>,
) {
    // Sized once: growing it by doubling held the old table beside the new (a million ids:
    // 78 MB at the last step rather than 52).
    let (least, most) = ids.size_hint();
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(most.unwrap_or(least));
    for (i, id) in ids {
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
            ["A", "B", "A", "#4", "#4", "A"].into_iter().enumerate(),
        );
        let found: Vec<(usize, Option<usize>)> =
            out.iter().map(|f| (f.feature, f.other())).collect();
        // "#4" here is an id the file gives (numbered features are not passed in).
        assert_eq!(found, [(3, Some(1)), (5, Some(4)), (6, Some(1))]);
    }
}
