//! KML and KMZ (Google Earth): each Placemark a feature; its `name`, `description` and
//! ExtendedData (`Data` and `SchemaData/SimpleData`) its properties; its Polygons (alone or in
//! a MultiGeometry, at any depth) its geometry, else its LineStrings and Points (a road or a
//! pin of a reference layer; in a zone layer a finding says it has no area). A Placemark's
//! point beside its polygons (a label's anchor) is not read. KML positions are WGS84
//! longitude/latitude (and altitude, kept). A KMZ is a zip holding the KML (`doc.kml`, else the first `.kml`).
//!
//! Written ([`FeatureSink`]) as one document for Google Earth: a folder a layer (Zones, then
//! Parcels), each feature a Placemark named by its name or id, styled by its look (zones by
//! fill-rate class, lots by status, the map's colours: [`crate::engine::palette`]), with a
//! balloon (`description`: an HTML table of its figures and properties) and every property
//! in `ExtendedData` (text; a number or a nested value as its JSON). Positions are WGS84
//! longitude/latitude as KML wants, written in full. A KMZ holds it as `doc.kml`.

use std::fmt::Write as _;
use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use unicode_normalization::UnicodeNormalization;

use super::{
    FeatureSink, FeatureSource, LayerKind, OutGeometry, OutLayer, SourceProblem, Words, Written,
    io_error, read_file,
};
use crate::engine::crs::Crs;
use crate::engine::geojson::LoadError;

pub struct Kml;

pub struct Kmz;

impl FeatureSource for Kml {
    const EXTENSIONS: &'static [&'static str] = &["kml"];

    fn read_geojson(path: &Path, _: Option<Crs>) -> Result<String, LoadError> {
        to_geojson(&read_file(path)?).map_err(|p| super::error(path, p))
    }
}

impl FeatureSource for Kmz {
    const EXTENSIONS: &'static [&'static str] = &["kmz"];

    fn read_geojson(path: &Path, _: Option<Crs>) -> Result<String, LoadError> {
        let fail = |detail: String| super::error(path, SourceProblem::Kml { line: None, detail });
        let mut zip =
            zip::ZipArchive::new(Cursor::new(read_file(path)?)).map_err(|e| fail(e.to_string()))?;
        let names: Vec<String> = (0..zip.len())
            .filter_map(|k| {
                let f = zip.by_index(k).ok()?;
                f.name().ok().map(|n| n.into_owned())
            })
            .collect();
        let name = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case("doc.kml"))
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.to_ascii_lowercase().ends_with(".kml"))
            })
            .ok_or_else(|| fail("no .kml inside".to_string()))?
            .clone();
        let mut bytes = Vec::new();
        zip.by_name(&name)
            .and_then(|mut f| f.read_to_end(&mut bytes).map_err(Into::into))
            .map_err(|e| fail(e.to_string()))?;
        to_geojson(&bytes).map_err(|p| super::error(path, p))
    }
}

impl FeatureSink for Kml {
    const EXTENSION: &'static str = "kml";

    fn write(path: &Path, layers: &[OutLayer], words: &Words) -> std::io::Result<Written> {
        let doc = document(path, layers, words);
        crate::engine::export::write_atomic(path, doc.as_bytes()).map_err(|e| io_error(path, e))?;
        Ok(Written {
            files: vec![path.to_path_buf()],
            notices: Vec::new(),
        })
    }
}

impl FeatureSink for Kmz {
    const EXTENSION: &'static str = "kmz";

    fn write(path: &Path, layers: &[OutLayer], words: &Words) -> std::io::Result<Written> {
        use std::io::Write as _;
        let doc = document(path, layers, words);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let fail = |e: &dyn std::fmt::Display| io_error(path, e);
        zip.start_file("doc.kml", options).map_err(|e| fail(&e))?;
        zip.write_all(doc.as_bytes()).map_err(|e| fail(&e))?;
        let bytes = zip.finish().map_err(|e| fail(&e))?.into_inner();
        crate::engine::export::write_atomic(path, &bytes).map_err(|e| fail(&e))?;
        Ok(Written {
            files: vec![path.to_path_buf()],
            notices: Vec::new(),
        })
    }
}

/// Text for XML (element content and attribute values).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A property value as text: a string as it is, anything else as its JSON.
fn text_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// KML's colour: `aabbggrr`.
fn abgr(rgb: [u8; 3], alpha: u8) -> String {
    format!("{alpha:02x}{:02x}{:02x}{:02x}", rgb[2], rgb[1], rgb[0])
}

/// The KML document of these layers.
fn document(path: &Path, layers: &[OutLayer], words: &Words) -> String {
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out =
        String::with_capacity(1024 + layers.iter().map(|l| l.features.len()).sum::<usize>() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let _ = writeln!(out, "<name>{}</name>", xml(&title));
    // One style per look met (zones translucent, lots nearly opaque).
    let mut styles: Vec<&str> = Vec::new();
    for layer in layers {
        let (alpha, line, width) = match layer.kind {
            LayerKind::Zones => (0x99, "ff463428", 2),
            LayerKind::Parcels => (0xd9, "ff5a5a5a", 1),
        };
        for f in &layer.features {
            if styles.contains(&f.look.style.as_str()) {
                continue;
            }
            styles.push(&f.look.style);
            let _ = writeln!(
                out,
                "<Style id=\"{}\"><LineStyle><color>{line}</color><width>{width}</width></LineStyle>\
                 <PolyStyle><color>{}</color></PolyStyle></Style>",
                xml(&f.look.style),
                abgr(f.look.rgb, alpha)
            );
        }
    }
    for layer in layers {
        let folder = match layer.kind {
            LayerKind::Zones => &words.zones,
            LayerKind::Parcels => &words.parcels,
        };
        let _ = writeln!(out, "<Folder><name>{}</name>", xml(folder));
        for f in &layer.features {
            out.push_str("<Placemark>");
            let _ = write!(out, "<name>{}</name>", xml(&f.look.name));
            let _ = write!(out, "<styleUrl>#{}</styleUrl>", xml(&f.look.style));
            // The balloon: figures, then the properties.
            let mut html = String::from("<table>");
            let row = |html: &mut String, k: &str, v: &str, bold: bool| {
                let (o, c) = if bold { ("<b>", "</b>") } else { ("", "") };
                let _ = write!(
                    html,
                    "<tr><td>{o}{}{c}</td><td>{o}{}{c}</td></tr>",
                    xml(k),
                    xml(v)
                );
            };
            for (k, v) in &f.look.figures {
                row(&mut html, k, v, true);
            }
            for (k, v) in &f.properties {
                if let Some(t) = text_of(v) {
                    row(&mut html, k, &t, false);
                }
            }
            html.push_str("</table>");
            let _ = write!(out, "<description>{}</description>", xml(&html));
            out.push_str("<ExtendedData>");
            for (k, v) in &f.properties {
                if let Some(t) = text_of(v) {
                    let _ = write!(
                        out,
                        "<Data name=\"{}\"><value>{}</value></Data>",
                        xml(k),
                        xml(&t)
                    );
                }
            }
            out.push_str("</ExtendedData>");
            if let Some(g) = &f.geometry {
                geometry(&mut out, g);
            }
            out.push_str("</Placemark>\n");
        }
        out.push_str("</Folder>\n");
    }
    out.push_str("</Document>\n</kml>\n");
    out
}

fn geometry(out: &mut String, g: &OutGeometry) {
    let ring = |out: &mut String, r: &[super::Position]| {
        out.push_str("<LinearRing><coordinates>");
        for (k, p) in r.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let _ = if p[2].is_nan() {
                write!(out, "{},{}", p[0], p[1])
            } else {
                write!(out, "{},{},{}", p[0], p[1], p[2])
            };
        }
        out.push_str("</coordinates></LinearRing>");
    };
    let polygon = |out: &mut String, rings: &[Vec<super::Position>]| {
        out.push_str("<Polygon>");
        for (k, r) in rings.iter().enumerate() {
            let side = if k == 0 { "outer" } else { "inner" };
            let _ = write!(out, "<{side}BoundaryIs>");
            ring(out, r);
            let _ = write!(out, "</{side}BoundaryIs>");
        }
        out.push_str("</Polygon>");
    };
    match g.polygons.as_slice() {
        [one] => polygon(out, one),
        many => {
            out.push_str("<MultiGeometry>");
            for p in many {
                polygon(out, p);
            }
            out.push_str("</MultiGeometry>");
        }
    }
}

/// One Placemark as read.
#[derive(Default)]
struct Placemark {
    properties: Vec<(String, String)>,
    /// Polygons: each a list of rings (the outer first), positions as written.
    polygons: Vec<Vec<Vec<Vec<f64>>>>,
    lines: Vec<Vec<Vec<f64>>>,
    points: Vec<Vec<f64>>,
}

/// A KML document's Placemarks as a GeoJSON FeatureCollection.
fn to_geojson(bytes: &[u8]) -> Result<String, SourceProblem> {
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    // Names of the open elements (local names, without a namespace prefix).
    let mut open: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut placemark: Option<Placemark> = None;
    // The attribute `name` of the open Data or SimpleData.
    let mut data_name: Option<String> = None;
    // The polygon being read, and whether the ring being read is its outer one.
    let mut polygon: Option<Vec<Vec<Vec<f64>>>> = None;
    let mut placemarks: Vec<Placemark> = Vec::new();
    let line = |reader: &Reader<&[u8]>| {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        1 + bytes[..at.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| SourceProblem::Kml {
                line: Some(line(&reader)),
                detail: e.to_string(),
            })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "Placemark" => placemark = Some(Placemark::default()),
                    "Polygon" if placemark.is_some() => polygon = Some(Vec::new()),
                    "Data" | "SimpleData" => {
                        data_name = e.try_get_attribute("name").ok().flatten().and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        });
                    }
                    _ => {}
                }
                open.push(name);
                text.clear();
            }
            Event::End(_) => {
                let name = open.pop().unwrap_or_default();
                let parent = open.last().map(String::as_str);
                let value = || text.trim().nfc().collect::<String>();
                match (name.as_str(), parent) {
                    ("Placemark", _) => placemarks.extend(placemark.take()),
                    ("name" | "description", Some("Placemark")) => {
                        if let Some(p) = &mut placemark {
                            p.properties.push((name.clone(), value()));
                        }
                    }
                    ("value", Some("Data")) | ("SimpleData", _) => {
                        if let (Some(p), Some(key)) = (&mut placemark, &data_name) {
                            p.properties.push((key.nfc().collect(), value()));
                        }
                    }
                    ("coordinates", Some("LinearRing")) => {
                        if let Some(rings) = &mut polygon {
                            let ring = positions(&text).ok_or_else(|| SourceProblem::Kml {
                                line: Some(line(&reader)),
                                detail: "coordinates that are not numbers".to_string(),
                            })?;
                            let outer = open.iter().any(|o| o == "outerBoundaryIs");
                            if outer {
                                rings.insert(0, ring);
                            } else {
                                rings.push(ring);
                            }
                        }
                    }
                    ("coordinates", Some(kind @ ("LineString" | "Point"))) => {
                        let kind = kind.to_string();
                        // A pin or a path whose coordinates do not read is left out (the
                        // file was readable before pins and paths were read at all).
                        if let Some(p) = &mut placemark
                            && let Some(read) = positions(&text)
                        {
                            if kind == "Point" {
                                p.points.extend(read.into_iter().take(1));
                            } else if read.len() >= 2 {
                                p.lines.push(read);
                            }
                        }
                    }
                    ("Polygon", _) => {
                        if let (Some(p), Some(rings)) = (&mut placemark, polygon.take())
                            && !rings.is_empty()
                        {
                            p.polygons.push(rings);
                        }
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Text(t) => {
                text.push_str(&t.decode().map_err(|e| SourceProblem::Kml {
                    line: Some(line(&reader)),
                    detail: e.to_string(),
                })?);
            }
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                match resolved {
                    Some(c) => text.push(c),
                    None => {
                        text.push('&');
                        text.push_str(&String::from_utf8_lossy(&r));
                        text.push(';');
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(collection(&placemarks))
}

/// KML `coordinates`: tuples `lon,lat[,alt]` separated by blanks.
fn positions(text: &str) -> Option<Vec<Vec<f64>>> {
    text.split_whitespace()
        .map(|tuple| {
            let p: Vec<f64> = tuple
                .split(',')
                .map(|n| n.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
                .collect::<Option<_>>()?;
            (2..=3).contains(&p.len()).then_some(p)
        })
        .collect()
}

fn collection(placemarks: &[Placemark]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for (k, p) in placemarks.iter().enumerate() {
        out.push_str(if k == 0 { "\n" } else { ",\n" });
        out.push_str("{\"type\":\"Feature\",\"properties\":{");
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in &p.properties {
            // A key given twice keeps its first value (JSON members are unique).
            if seen.contains(&key.as_str()) {
                continue;
            }
            if !seen.is_empty() {
                out.push(',');
            }
            seen.push(key);
            let _ = write!(
                out,
                "{}:{}",
                serde_json::Value::String(key.clone()),
                serde_json::Value::String(value.clone())
            );
        }
        out.push_str("},\"geometry\":");
        match (&p.polygons[..], &p.lines[..], &p.points[..]) {
            ([], [], points) => super::write_points(&mut out, points),
            ([], lines, []) => super::write_lines(&mut out, lines),
            ([], lines, points) => {
                out.push_str("{\"type\":\"GeometryCollection\",\"geometries\":[");
                super::write_lines(&mut out, lines);
                out.push(',');
                super::write_points(&mut out, points);
                out.push_str("]}");
            }
            (polygons, _, _) => super::write_polygons(&mut out, polygons),
        }
        out.push('}');
    }
    out.push_str("\n]}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_tuples_with_or_without_altitude() {
        assert_eq!(
            positions(" 106.1,21.2,0\n 106.2,21.2 "),
            Some(vec![vec![106.1, 21.2, 0.0], vec![106.2, 21.2]])
        );
        assert_eq!(positions("106.1;21.2"), None);
        assert_eq!(positions("106.1,nan"), None);
    }
}
