//! Investment projects by type (FDI / DDI) and by investor country, with their capital: the
//! figures a board reports beside fill rates. A *project* is one leased lot: in the boards'
//! files each lot of a tenant carries its own licence and capital.

use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::hash::Hash;

use super::as_of::leased_on;
use super::dataset::Dataset;
use super::properties::{Date, PARCEL_KEYS, ParcelStatus, canonical_key, fold_text, read_number};

/// FDI, DDI, or not said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InvestmentType {
    Fdi,
    Ddi,
    NotStated,
}

impl InvestmentType {
    /// `FDI` / `DDI` as boards write them, in either language (`vốn nước ngoài`, `domestic`…).
    pub fn read(v: &Value) -> InvestmentType {
        let text = match v {
            Value::String(s) => fold_text(s),
            _ => return InvestmentType::NotStated,
        };
        let text = text.trim();
        if text == "fdi" || text.contains("nuoc ngoai") || text.contains("foreign") {
            InvestmentType::Fdi
        } else if text == "ddi" || text.contains("trong nuoc") || text.contains("domestic") {
            InvestmentType::Ddi
        } else {
            InvestmentType::NotStated
        }
    }
}

/// Projects and their capital under one heading (a type or a country).
#[derive(Clone, Debug, PartialEq)]
pub struct InvestorRow<T> {
    pub what: T,
    pub projects: usize,
    pub capital_musd: f64,
}

/// Investment projects by type and by investor country. A project is a leased lot (each lot
/// of a tenant carries its own licence and capital in the boards' files); `None` from
/// [`investors`] when no leased lot says its type or country.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Investors {
    /// FDI, DDI, then not stated (only when some are).
    pub by_type: Vec<InvestorRow<InvestmentType>>,
    /// Most projects first; lots without a country last, as `None`.
    pub by_country: Vec<InvestorRow<Option<String>>>,
}

/// See [`Investors`].
/// On `on` when given (lots leased that day, see [`crate::engine::as_of`]), else today.
pub fn investors(ds: &Dataset, on: Option<Date>) -> Option<Investors> {
    let parcels = ds.parcels.as_ref()?;
    let mut by_type = Tally::default();
    let mut by_country = Tally::default();
    // Each leased lot's investment, read from its properties: a block of lots at a time (on
    // all cores), each block's pages of a mapped file handed back after.
    let lots: Vec<(InvestmentType, Option<String>, f64, bool)> = parcels.doc.in_blocks(|block| {
        block
            .into_par_iter()
            .filter(|&i| {
                let item = &parcels.items[i];
                match on {
                    Some(d) => leased_on(item, d),
                    None => item.status == ParcelStatus::Leased,
                }
            })
            .map(|i| {
                let (mut kind, mut country, mut capital) = (InvestmentType::NotStated, None, 0.0);
                let mut carried = false;
                for (name, value) in parcels.doc.properties(i) {
                    match canonical_key(PARCEL_KEYS, &name) {
                        Some("investment_type") => {
                            kind = InvestmentType::read(&value);
                            carried |= !value.is_null();
                        }
                        Some("investor_country") => {
                            country = value_text_opt(&value);
                            carried |= country.is_some();
                        }
                        Some("capital_musd") => {
                            capital = read_number(&value).ok().flatten().unwrap_or(0.0);
                        }
                        _ => {}
                    }
                }
                (kind, country, capital, carried)
            })
            .collect()
    });
    let mut carried = false;
    for (kind, country, capital, said) in lots {
        carried |= said;
        by_type.add(kind, capital);
        by_country.add(country, capital);
    }
    if !carried {
        return None;
    }
    let (mut by_type, mut by_country) = (by_type.rows, by_country.rows);
    by_type.sort_by_key(|r| r.what);
    by_country.sort_by(|a, b| {
        (a.what.is_none(), b.projects, &a.what).cmp(&(b.what.is_none(), a.projects, &b.what))
    });
    Some(Investors {
        by_type,
        by_country,
    })
}

fn value_text_opt(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Rows in order of first appearance, found by hashing (a file may name thousands of
/// countries, one per lot).
struct Tally<T> {
    rows: Vec<InvestorRow<T>>,
    at: HashMap<T, usize>,
}

impl<T> Default for Tally<T> {
    fn default() -> Self {
        Tally {
            rows: Vec::new(),
            at: HashMap::new(),
        }
    }
}

impl<T: Eq + Hash + Clone> Tally<T> {
    fn add(&mut self, what: T, capital: f64) {
        match self.at.get(&what) {
            Some(&k) => {
                let r = &mut self.rows[k];
                r.projects += 1;
                r.capital_musd += capital;
            }
            None => {
                self.at.insert(what.clone(), self.rows.len());
                self.rows.push(InvestorRow {
                    what,
                    projects: 1,
                    capital_musd: capital,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_data::three_zones as dataset;

    #[test]
    fn investment_types_as_boards_write_them() {
        for (v, t) in [
            ("FDI", InvestmentType::Fdi),
            (" fdi ", InvestmentType::Fdi),
            ("Vốn nước ngoài", InvestmentType::Fdi),
            ("DDI", InvestmentType::Ddi),
            ("trong nước", InvestmentType::Ddi),
            ("Domestic", InvestmentType::Ddi),
            ("", InvestmentType::NotStated),
            ("khác", InvestmentType::NotStated),
        ] {
            assert_eq!(InvestmentType::read(&Value::String(v.into())), t, "{v}");
        }
        assert_eq!(
            InvestmentType::read(&Value::Null),
            InvestmentType::NotStated
        );
    }

    #[test]
    fn projects_and_capital_by_type_and_country_count_leased_lots_only() {
        let ds = dataset(&[
            r#"{"status":"leased","investment_type":"FDI","investor_country":"Hàn Quốc","capital_musd":100.5}"#,
            r#"{"status":"leased","Loại vốn":"FDI","Quốc gia":"Hàn Quốc","Vốn đầu tư (triệu USD)":"1,5"}"#,
            r#"{"status":"leased","investment_type":"FDI","investor_country":"Nhật Bản","capital_musd":20}"#,
            r#"{"status":"leased","investment_type":"DDI","investor_country":"Việt Nam","capital_musd":3}"#,
            r#"{"status":"leased","investment_type":null}"#,
            r#"{"status":"vacant","investment_type":"FDI","investor_country":"Hàn Quốc","capital_musd":999}"#,
            r#"{"status":"reserved","investment_type":"DDI","capital_musd":999}"#,
        ]);
        let inv = investors(&ds, None).expect("the lots carry types");
        let row = |t| {
            inv.by_type
                .iter()
                .find(|r| r.what == t)
                .map(|r| (r.projects, r.capital_musd))
        };
        assert_eq!(row(InvestmentType::Fdi), Some((3, 122.0)));
        assert_eq!(row(InvestmentType::Ddi), Some((1, 3.0)));
        assert_eq!(row(InvestmentType::NotStated), Some((1, 0.0)));
        let countries: Vec<(Option<&str>, usize, f64)> = inv
            .by_country
            .iter()
            .map(|r| (r.what.as_deref(), r.projects, r.capital_musd))
            .collect();
        assert_eq!(
            countries,
            vec![
                (Some("Hàn Quốc"), 2, 102.0),
                (Some("Nhật Bản"), 1, 20.0),
                (Some("Việt Nam"), 1, 3.0),
                (None, 1, 0.0),
            ]
        );
    }

    #[test]
    fn no_investor_figures_when_the_lots_do_not_carry_them() {
        let ds = dataset(&[r#"{"status":"leased","tenant":"X"}"#]);
        assert_eq!(investors(&ds, None), None);
    }
}
