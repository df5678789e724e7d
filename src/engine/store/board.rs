//! A board's layers as rows: put into the store ([`import`]) and read back as the engine's
//! documents ([`load`]), text for text.

use geo::MultiPolygon;
use postgres::GenericClient;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use std::path::PathBuf;

use super::schema::BoardName;
use super::{StoreProblem, Target};
use crate::engine::dataset::Dataset;
use crate::engine::export::feature_text;
use crate::engine::geojson::style::FileStyle;
use crate::engine::geojson::{Container, Document};
use crate::engine::model::LayerKind;

/// The rows of a layer as read: feature `i` of the document is row `fid[i]`, read at
/// `version[i]`. Features inserted since have no row yet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    pub fid: Vec<i64>,
    pub version: Vec<u64>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.fid.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fid.is_empty()
    }
}

/// A board read from the store: the data, and each feature's row.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub board: BoardName,
    pub dataset: Dataset,
    pub zones: Rows,
    /// `None` when the board has no parcels layer.
    pub parcels: Option<Rows>,
}

impl Loaded {
    pub fn rows(&self, layer: LayerKind) -> Option<&Rows> {
        match layer {
            LayerKind::Zones => Some(&self.zones),
            LayerKind::Parcels => self.parcels.as_ref(),
        }
    }

    /// Feature `i`'s row version as read (`None`: inserted since).
    pub fn version(&self, layer: LayerKind, i: usize) -> Option<u64> {
        self.rows(layer)?.version.get(i).copied()
    }

    /// Feature `i`'s row (`None`: inserted since).
    pub fn fid(&self, layer: LayerKind, i: usize) -> Option<i64> {
        self.rows(layer)?.fid.get(i).copied()
    }
}

/// The table of a layer.
pub fn layer_name(layer: LayerKind) -> &'static str {
    match layer {
        LayerKind::Zones => "zones",
        LayerKind::Parcels => "parcels",
    }
}

/// The text around a layer's features, kept in `documents`.
struct Frame {
    head: String,
    separator: String,
    tail: String,
}

/// An empty collection's frame (a board initialised and never imported).
fn empty_frame() -> Frame {
    Frame {
        head: "{\"type\": \"FeatureCollection\", \"features\": [".into(),
        separator: ",\n".into(),
        tail: "]}\n".into(),
    }
}

fn frame_of(doc: &Document) -> Frame {
    let text: &str = &doc.text;
    let f = &doc.features;
    match doc.container {
        Container::Collection { close } => {
            let separator = match (f.first(), f.get(1)) {
                (Some(a), Some(b)) => {
                    text[a.whole.end as usize..b.whole.start as usize].to_string()
                }
                _ => FileStyle::of(doc).between_features,
            };
            match (f.first(), f.last()) {
                (Some(first), Some(last)) => Frame {
                    head: text[..first.whole.start as usize].to_string(),
                    separator,
                    tail: text[last.whole.end as usize..].to_string(),
                },
                _ => Frame {
                    head: text[..close].to_string(),
                    separator,
                    tail: text[close..].to_string(),
                },
            }
        }
        // A single Feature is kept as a collection of one.
        Container::SingleFeature => empty_frame(),
    }
}

/// Puts a board's files into its (empty) tables, in one transaction: each feature's text as
/// the file holds it, its geometry in WGS84 as the engine read it. Announced to the board's
/// windows once, as a reload.
pub fn import(
    client: &mut postgres::Client,
    board: &BoardName,
    ds: &Dataset,
) -> Result<(usize, usize), StoreProblem> {
    let mut tx = client.transaction()?;
    lock(&mut tx, board)?;
    let held: i64 = tx
        .query_one(
            &format!(
                "SELECT (SELECT count(*) FROM {}) + (SELECT count(*) FROM {}) + (SELECT count(*) FROM {})",
                board.table("documents"),
                board.table("zones"),
                board.table("parcels")
            ),
            &[],
        )?
        .get(0);
    if held > 0 {
        return Err(StoreProblem::NotEmpty {
            board: board.name.clone(),
        });
    }
    tx.batch_execute("SET LOCAL zoneatlas.bulk = 'on'")?;
    let zones = put_layer(&mut tx, board, ds, LayerKind::Zones)?;
    let parcels = match ds.parcels {
        Some(_) => put_layer(&mut tx, board, ds, LayerKind::Parcels)?,
        None => 0,
    };
    tx.execute(
        "SELECT pg_notify($1, '{\"reload\": true}')",
        &[&board.channel()],
    )?;
    tx.commit()?;
    Ok((zones, parcels))
}

/// Takes the board's write lock until the transaction ends: writers of one board take turns,
/// readers never wait.
pub fn lock(tx: &mut postgres::Transaction<'_>, board: &BoardName) -> Result<(), StoreProblem> {
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('zoneatlas board ' || $1))",
        &[&board.slug],
    )?;
    Ok(())
}

fn put_layer(
    tx: &mut postgres::Transaction<'_>,
    board: &BoardName,
    ds: &Dataset,
    layer: LayerKind,
) -> Result<usize, StoreProblem> {
    let name = layer_name(layer);
    let doc = match layer {
        LayerKind::Zones => &ds.zones.doc,
        LayerKind::Parcels => match &ds.parcels {
            Some(p) => &p.doc,
            None => return Ok(0),
        },
    };
    let frame = frame_of(doc);
    tx.execute(
        &format!(
            "INSERT INTO {} (layer, head, separator, tail, source) VALUES ($1, $2, $3, $4, $5)",
            board.table("documents")
        ),
        &[
            &name,
            &frame.head,
            &frame.separator,
            &frame.tail,
            &doc.name(),
        ],
    )?;
    tx.batch_execute(
        "CREATE TEMP TABLE za_staging (fid int8, id text, feature text, wkb bytea) ON COMMIT DROP",
    )?;
    let sink = tx.copy_in("COPY za_staging (fid, id, feature, wkb) FROM STDIN (FORMAT binary)")?;
    let mut writer =
        BinaryCopyInWriter::new(sink, &[Type::INT8, Type::TEXT, Type::TEXT, Type::BYTEA]);
    let mut count = 0;
    for i in (0..doc.len()).filter(|i| !doc.is_deleted(*i)) {
        let Some(row) = row_of(ds, layer, i) else {
            continue;
        };
        let fid = count as i64;
        writer.write(&[&fid, &row.id, &row.feature, &row.wkb])?;
        count += 1;
    }
    writer.finish()?;
    tx.execute(
        &format!(
            "INSERT INTO {} (fid, id, feature, geom)
             SELECT fid, id, feature::json, ST_GeomFromEWKB(wkb) FROM za_staging",
            board.table(name)
        ),
        &[],
    )?;
    tx.batch_execute("DROP TABLE za_staging")?;
    if count > 0 {
        tx.execute(
            "SELECT setval($1::text::regclass, $2, false)",
            &[&board.sequence(name), &(count as i64)],
        )?;
    }
    tx.execute(
        &format!(
            "INSERT INTO {} (layer, fid, id, op, inverse, version)
             VALUES ($1, -1, NULL, $2::text::json, '{{\"op\": \"clear\"}}', 1)",
            board.table("history")
        ),
        &[
            &name,
            &serde_json::json!({"op": "import", "source": doc.name(), "features": count})
                .to_string(),
        ],
    )?;
    Ok(count)
}

/// What a feature's row holds.
pub struct RowText {
    pub id: Option<String>,
    pub feature: String,
    /// Its shape in WGS84 as EWKB (`None`: it has no usable shape).
    pub wkb: Option<Vec<u8>>,
}

/// Feature `i`'s row as the data holds it now (`None`: no such feature).
pub fn row_of(ds: &Dataset, layer: LayerKind, i: usize) -> Option<RowText> {
    let (doc, shape, id) = match layer {
        LayerKind::Zones => {
            let z = ds.zones.items.get(i)?;
            (
                &ds.zones.doc,
                ds.zones.shapes.get(i)?,
                (!z.numbered).then(|| z.id.clone()),
            )
        }
        LayerKind::Parcels => {
            let p = ds.parcels.as_ref()?;
            let lot = p.items.get(i)?;
            (
                &p.doc,
                p.shapes.get(i)?,
                (!lot.numbered).then(|| lot.id.clone()),
            )
        }
    };
    Some(RowText {
        id,
        feature: feature_text(doc, i),
        wkb: shape.geometry().map(ewkb),
    })
}

/// A multipolygon as PostGIS's extended WKB (little-endian, SRID 4326): binary, so the
/// coordinates reach PostGIS bit for bit.
pub fn ewkb(mp: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(1u8);
    out.extend_from_slice(&(6u32 | 0x2000_0000).to_le_bytes());
    out.extend_from_slice(&4326u32.to_le_bytes());
    out.extend_from_slice(&(mp.0.len() as u32).to_le_bytes());
    for poly in &mp.0 {
        out.push(1u8);
        out.extend_from_slice(&3u32.to_le_bytes());
        let rings: Vec<_> = std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .collect();
        out.extend_from_slice(&(rings.len() as u32).to_le_bytes());
        for ring in rings {
            out.extend_from_slice(&(ring.0.len() as u32).to_le_bytes());
            for c in &ring.0 {
                out.extend_from_slice(&c.x.to_le_bytes());
                out.extend_from_slice(&c.y.to_le_bytes());
            }
        }
    }
    out
}

/// Reads a board: each layer's text put back together from its rows and read as a file is.
pub fn load(
    client: &mut impl GenericClient,
    target: &Target,
    board: &BoardName,
) -> Result<Loaded, StoreProblem> {
    load_which(client, target, board, None)
}

/// Reads only these rows of the board (`zones`, `parcels`: their `fid`s), locked until the
/// transaction ends: the data an edit of a few features is made on, at the cost of those
/// features, not of the board. Rows that are gone are simply not there.
pub fn load_rows(
    tx: &mut postgres::Transaction<'_>,
    target: &Target,
    board: &BoardName,
    zones: &[i64],
    parcels: &[i64],
) -> Result<Loaded, StoreProblem> {
    load_which(tx, target, board, Some((zones, parcels)))
}

fn load_which(
    client: &mut impl GenericClient,
    target: &Target,
    board: &BoardName,
    only: Option<(&[i64], &[i64])>,
) -> Result<Loaded, StoreProblem> {
    let frames: Vec<(String, Frame)> = client
        .query(
            &format!(
                "SELECT layer, head, separator, tail FROM {}",
                board.table("documents")
            ),
            &[],
        )?
        .into_iter()
        .map(|r| {
            (
                r.get(0),
                Frame {
                    head: r.get(1),
                    separator: r.get(2),
                    tail: r.get(3),
                },
            )
        })
        .collect();
    let take = |name: &str| frames.iter().position(|(l, _)| l == name);
    let zones_frame = take("zones");
    let parcels_frame = take("parcels");
    let (zones, zone_rows) = read_layer(
        client,
        target,
        board,
        LayerKind::Zones,
        zones_frame.map(|k| &frames[k].1),
        only.map(|o| o.0),
    )?;
    let parcels = match parcels_frame {
        Some(k) => Some(read_layer(
            client,
            target,
            board,
            LayerKind::Parcels,
            Some(&frames[k].1),
            only.map(|o| o.1),
        )?),
        None => None,
    };
    let (parcels_doc, parcel_rows) = match parcels {
        Some((d, r)) => (Some(d), Some(r)),
        None => (None, None),
    };
    Ok(Loaded {
        board: board.clone(),
        dataset: Dataset::new(zones, parcels_doc),
        zones: zone_rows,
        parcels: parcel_rows,
    })
}

/// A row as another window reads it after a change: without locking it (readers never wait
/// for writers), for a window's live refresh.
#[derive(Clone, Debug, PartialEq)]
pub struct RowNow {
    pub fid: i64,
    pub version: u64,
    /// The feature's GeoJSON text as the row holds it.
    pub feature: String,
    /// Who changed it last, and when (UTC, `2026-12-08T01:02:03Z`).
    pub changed_by: String,
    pub changed_at: String,
}

/// These rows of a layer as they are now (`fids` in any order); rows that are gone are not
/// there. Takes no lock.
pub fn read_rows(
    client: &mut impl GenericClient,
    board: &BoardName,
    layer: LayerKind,
    fids: &[i64],
) -> Result<Vec<RowNow>, StoreProblem> {
    let sql = format!(
        "SELECT fid, version, feature::text, changed_by,
                to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
         FROM {} WHERE fid = ANY($1) ORDER BY fid",
        board.table(layer_name(layer))
    );
    Ok(client
        .query(&sql, &[&fids])?
        .into_iter()
        .map(|r| RowNow {
            fid: r.get(0),
            version: u64::try_from(r.get::<_, i64>(1)).unwrap_or(0),
            feature: r.get(2),
            changed_by: r.get(3),
            changed_at: r.get(4),
        })
        .collect())
}

/// Every row of a layer with its version, by row: what a window compares its own with after
/// it (re)connects, to catch the changes it was not told of while away.
pub fn versions(
    client: &mut impl GenericClient,
    board: &BoardName,
    layer: LayerKind,
) -> Result<Vec<(i64, u64)>, StoreProblem> {
    let sql = format!(
        "SELECT fid, version FROM {} ORDER BY fid",
        board.table(layer_name(layer))
    );
    Ok(client
        .query(&sql, &[])?
        .into_iter()
        .map(|r| (r.get(0), u64::try_from(r.get::<_, i64>(1)).unwrap_or(0)))
        .collect())
}

/// The name a layer read from the store goes by in messages.
pub fn layer_path(target: &Target, board: &BoardName, layer: LayerKind) -> PathBuf {
    PathBuf::from(format!(
        "{} [{}] {}",
        target.url,
        board.slug,
        layer_name(layer)
    ))
}

fn read_layer(
    client: &mut impl GenericClient,
    target: &Target,
    board: &BoardName,
    layer: LayerKind,
    frame: Option<&Frame>,
    only: Option<&[i64]>,
) -> Result<(Document, Rows), StoreProblem> {
    let name = layer_name(layer);
    let empty = empty_frame();
    let frame = frame.unwrap_or(&empty);
    let table = board.table(name);
    let result = match only {
        None => client.query(
            &format!("SELECT fid, version, feature::text FROM {table} ORDER BY fid"),
            &[],
        )?,
        Some(fids) => client.query(
            &format!(
                "SELECT fid, version, feature::text FROM {table} WHERE fid = ANY($1)
                 ORDER BY fid FOR UPDATE"
            ),
            &[&fids],
        )?,
    };
    let mut rows = Rows {
        fid: Vec::with_capacity(result.len()),
        version: Vec::with_capacity(result.len()),
    };
    let size: usize = result
        .iter()
        .map(|r| r.get::<_, &str>(2).len() + frame.separator.len())
        .sum();
    let mut text = String::with_capacity(frame.head.len() + size + frame.tail.len());
    text.push_str(&frame.head);
    for (k, r) in result.iter().enumerate() {
        if k > 0 {
            text.push_str(&frame.separator);
        }
        text.push_str(r.get::<_, &str>(2));
        rows.fid.push(r.get(0));
        rows.version
            .push(u64::try_from(r.get::<_, i64>(1)).unwrap_or(0));
    }
    drop(result);
    text.push_str(&frame.tail);
    let corrupt = |detail: String| StoreProblem::Corrupt {
        board: board.name.clone(),
        layer: name,
        detail,
    };
    let doc = Document::parse(&layer_path(target, board, layer), text.into_bytes())
        .map_err(|e| corrupt(format!("{e:?}")))?;
    if doc.len() != rows.len() {
        return Err(corrupt(format!(
            "{} rows read as {} features",
            rows.len(),
            doc.len()
        )));
    }
    Ok((doc, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn ewkb_is_postgis_extended_wkb() {
        let mp = MultiPolygon(vec![
            polygon![(x: 1.0, y: 2.0), (x: 3.0, y: 2.0), (x: 1.0, y: 4.0)],
        ]);
        let b = ewkb(&mp);
        // Byte order, type with the SRID flag, SRID, one polygon, one ring of four points.
        assert_eq!(&b[..13], &[1, 6, 0, 0, 0x20, 0xE6, 0x10, 0, 0, 1, 0, 0, 0]);
        assert_eq!(b.len(), 13 + 1 + 4 + 4 + 4 + 4 * 16);
        assert_eq!(f64::from_le_bytes(b[26..34].try_into().unwrap()), 1.0);
        assert_eq!(f64::from_le_bytes(b[34..42].try_into().unwrap()), 2.0);
    }
}
