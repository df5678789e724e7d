//! The store's tables, indexes, triggers and roles (`zoneatlas db init`).
//!
//! - `zoneatlas.boards`: the boards the database holds (their names as given and the
//!   province their figures count for);
//! - per board, schema `za_<board>`:
//!   - `documents`: each layer's file text around its features (the `FeatureCollection`'s
//!     other members, exactly as written) and the separator between features;
//!   - `zones`, `parcels`: one row per feature: `fid` (its place, kept for ever), `id` (its
//!     `zone_id` / `parcel_id` or feature id), `feature` (its GeoJSON text, as written),
//!     `geom` (WGS84, GiST-indexed), `version`, `changed_by`, `changed_at` (stamped by a
//!     trigger on every change, made by ZoneAtlas or by hand);
//!   - `history`: every change: who, when, the operation and its inverse (edit steps, see
//!     [`crate::engine::script`]), the row's version after it; an insertion's step keeps the
//!     `uid` the window gave the new feature (indexed), to tell an insertion sent again;
//!   - a trigger that announces each changed row on channel `zoneatlas_<board>` (LISTEN /
//!     NOTIFY), for the other users' windows.
//! - roles: `zoneatlas_viewer` reads every board (leadership, the ministry),
//!   `za_<board>_editor` edits its own board, `zoneatlas_admin` does everything. Grants and
//!   row-level security both keep a board's editors out of other boards' data; the history is
//!   append-only for everyone but admins.
//!
//! Identifiers are made here from a board's name folded to `[a-z0-9_]` ([`BoardName`]),
//! never from other text; every value travels as a statement parameter.

use super::StoreProblem;
use crate::engine::properties::fold_text;

/// The roles every database has.
pub const VIEWER: &str = "zoneatlas_viewer";
pub const ADMIN: &str = "zoneatlas_admin";

/// A board's name as given and the identifier made from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardName {
    pub name: String,
    /// `[a-z0-9_]`, at most [`SLUG_MAX`] bytes: the schema is `za_<slug>`.
    pub slug: String,
}

/// Leaves room for `za_` and `_editor` in PostgreSQL's 63-byte identifiers.
const SLUG_MAX: usize = 48;

impl BoardName {
    /// `Đồng Nai` → `dong_nai`; names with no letter or digit, or too long, are refused.
    pub fn new(name: &str) -> Result<BoardName, StoreProblem> {
        let mut slug = String::new();
        for c in fold_text(name.trim()).chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('_') && !slug.is_empty() {
                slug.push('_');
            }
        }
        let slug = slug.trim_end_matches('_').to_string();
        if slug.is_empty() || slug.len() > SLUG_MAX {
            return Err(StoreProblem::BadBoardName {
                name: name.to_string(),
            });
        }
        Ok(BoardName {
            name: name.trim().to_string(),
            slug,
        })
    }

    /// The board's schema, quoted.
    pub fn schema(&self) -> String {
        format!("\"za_{}\"", self.slug)
    }

    /// The board's editors' role (unquoted, as `pg_has_role` takes it).
    pub fn editor_role(&self) -> String {
        format!("za_{}_editor", self.slug)
    }

    /// The channel its changes are announced on.
    pub fn channel(&self) -> String {
        format!("zoneatlas_{}", self.slug)
    }

    /// The sequence that numbers a layer's rows, qualified and quoted.
    pub fn sequence(&self, layer: &str) -> String {
        format!("{}.\"{layer}_fid\"", self.schema())
    }

    /// A table of the board's schema, qualified and quoted.
    pub fn table(&self, name: &str) -> String {
        format!("{}.\"{name}\"", self.schema())
    }
}

/// The board used when none is named.
pub const DEFAULT_BOARD: &str = "default";

/// Creates what the database needs for any board (PostGIS, the `zoneatlas` schema, the
/// common roles), then the board's schema, tables, indexes, trigger, grants and policies.
/// Running it again changes nothing that is there.
pub fn init(
    client: &mut postgres::Client,
    board: &BoardName,
    province: Option<&str>,
) -> Result<(), StoreProblem> {
    let mut tx = client.transaction()?;
    // Two `init`s at once would race on CREATE ... IF NOT EXISTS.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('zoneatlas init'))",
        &[],
    )?;
    tx.batch_execute(COMMON)?;
    tx.batch_execute(&board_sql(board))?;
    tx.execute(
        "INSERT INTO zoneatlas.boards (board, name, province) VALUES ($1, $2, $3)
         ON CONFLICT (board) DO UPDATE SET province = coalesce($3, zoneatlas.boards.province)",
        &[&board.slug, &board.name, &province],
    )?;
    tx.commit()?;
    Ok(())
}

/// What every board shares. Roles are cluster-wide, so they are made only when missing.
const COMMON: &str = r#"
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS zoneatlas;
CREATE TABLE IF NOT EXISTS zoneatlas.boards (
    board text PRIMARY KEY,
    name text NOT NULL,
    province text,
    created_at timestamptz NOT NULL DEFAULT now()
);
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zoneatlas_viewer') THEN
        CREATE ROLE zoneatlas_viewer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zoneatlas_admin') THEN
        CREATE ROLE zoneatlas_admin NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA zoneatlas TO PUBLIC;
GRANT SELECT ON zoneatlas.boards TO PUBLIC;
GRANT ALL ON zoneatlas.boards TO zoneatlas_admin;
"#;

/// A board's schema. `{s}` is its quoted schema, `{editor}` its editors' role, `{channel}`
/// its channel: all made from the slug alone.
fn board_sql(board: &BoardName) -> String {
    let s = board.schema();
    let editor = board.editor_role();
    let channel = board.channel();
    let mut sql = format!(
        r#"
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{editor}') THEN
        CREATE ROLE "{editor}" NOLOGIN;
    END IF;
END
$$;
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.documents (
    layer text PRIMARY KEY CHECK (layer IN ('zones', 'parcels')),
    head text NOT NULL,
    separator text NOT NULL,
    tail text NOT NULL,
    source text
);
CREATE TABLE IF NOT EXISTS {s}.history (
    seq bigserial PRIMARY KEY,
    layer text NOT NULL,
    fid bigint NOT NULL,
    id text,
    op json NOT NULL,
    inverse json NOT NULL,
    version bigint NOT NULL,
    changed_by text NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS history_feature ON {s}.history (layer, fid);
CREATE INDEX IF NOT EXISTS history_id ON {s}.history (id);
-- A new feature's uid, looked up when a window sends its insertion (again, after a lost
-- answer): only insertions carry one. A board made before it works without, more slowly.
CREATE INDEX IF NOT EXISTS history_uid ON {s}.history ((op->>'uid'))
    WHERE op->>'uid' IS NOT NULL;
CREATE OR REPLACE FUNCTION {s}.announce() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    -- An import announces itself once, not once per row.
    IF coalesce(current_setting('zoneatlas.bulk', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('{channel}', json_build_object(
            'layer', TG_TABLE_NAME, 'fid', OLD.fid, 'version', OLD.version + 1,
            'deleted', true, 'by', current_user)::text);
    ELSE
        PERFORM pg_notify('{channel}', json_build_object(
            'layer', TG_TABLE_NAME, 'fid', NEW.fid, 'version', NEW.version,
            'deleted', false, 'by', current_user)::text);
    END IF;
    RETURN NULL;
END
$f$;
CREATE OR REPLACE FUNCTION {s}.stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    -- Whoever changes a row, by ZoneAtlas or by hand, moves its version on: the check that
    -- keeps edits from overwriting each other relies on it.
    NEW.changed_by := current_user;
    NEW.changed_at := now();
    IF TG_OP = 'UPDATE' THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END
$f$;
GRANT USAGE ON SCHEMA {s} TO zoneatlas_viewer, "{editor}", zoneatlas_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO zoneatlas_viewer, "{editor}";
GRANT ALL ON ALL TABLES IN SCHEMA {s} TO zoneatlas_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA {s} TO zoneatlas_admin;
GRANT INSERT ON {s}.history TO "{editor}";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO "{editor}";
ALTER TABLE {s}.history ENABLE ROW LEVEL SECURITY;
ALTER TABLE {s}.documents ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS board_read ON {s}.history;
CREATE POLICY board_read ON {s}.history FOR SELECT
    USING (pg_has_role('zoneatlas_viewer', 'MEMBER') OR pg_has_role('{editor}', 'MEMBER')
           OR pg_has_role('zoneatlas_admin', 'MEMBER'));
DROP POLICY IF EXISTS board_append ON {s}.history;
CREATE POLICY board_append ON {s}.history FOR INSERT
    WITH CHECK ((pg_has_role('{editor}', 'MEMBER') OR pg_has_role('zoneatlas_admin', 'MEMBER'))
                AND changed_by = current_user);
DROP POLICY IF EXISTS board_admin ON {s}.history;
CREATE POLICY board_admin ON {s}.history FOR ALL
    USING (pg_has_role('zoneatlas_admin', 'MEMBER'));
DROP POLICY IF EXISTS board_read ON {s}.documents;
CREATE POLICY board_read ON {s}.documents FOR SELECT
    USING (pg_has_role('zoneatlas_viewer', 'MEMBER') OR pg_has_role('{editor}', 'MEMBER')
           OR pg_has_role('zoneatlas_admin', 'MEMBER'));
DROP POLICY IF EXISTS board_admin ON {s}.documents;
CREATE POLICY board_admin ON {s}.documents FOR ALL
    USING (pg_has_role('zoneatlas_admin', 'MEMBER'));
"#
    );
    for layer in ["zones", "parcels"] {
        sql.push_str(&format!(
            r#"
CREATE TABLE IF NOT EXISTS {s}.{layer} (
    fid bigint PRIMARY KEY,
    id text,
    feature json NOT NULL,
    geom geometry(Geometry, 4326),
    version bigint NOT NULL DEFAULT 1,
    changed_by text NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now()
);
-- A feature's row number is never used again, even after its row is deleted: the history
-- names features by it.
CREATE SEQUENCE IF NOT EXISTS {s}.{layer}_fid MINVALUE 0 START 0;
GRANT USAGE ON SEQUENCE {s}.{layer}_fid TO "{editor}";
GRANT ALL ON SEQUENCE {s}.{layer}_fid TO zoneatlas_admin;
CREATE INDEX IF NOT EXISTS {layer}_geom ON {s}.{layer} USING gist (geom);
CREATE INDEX IF NOT EXISTS {layer}_id ON {s}.{layer} (id);
DROP TRIGGER IF EXISTS stamp ON {s}.{layer};
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON {s}.{layer}
    FOR EACH ROW EXECUTE FUNCTION {s}.stamp();
DROP TRIGGER IF EXISTS announce ON {s}.{layer};
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON {s}.{layer}
    FOR EACH ROW EXECUTE FUNCTION {s}.announce();
GRANT SELECT ON {s}.{layer} TO zoneatlas_viewer;
GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.{layer} TO "{editor}";
GRANT ALL ON {s}.{layer} TO zoneatlas_admin;
ALTER TABLE {s}.{layer} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS board_read ON {s}.{layer};
CREATE POLICY board_read ON {s}.{layer} FOR SELECT
    USING (pg_has_role('zoneatlas_viewer', 'MEMBER') OR pg_has_role('{editor}', 'MEMBER')
           OR pg_has_role('zoneatlas_admin', 'MEMBER'));
DROP POLICY IF EXISTS board_edit ON {s}.{layer};
CREATE POLICY board_edit ON {s}.{layer} FOR ALL
    USING (pg_has_role('{editor}', 'MEMBER') OR pg_has_role('zoneatlas_admin', 'MEMBER'))
    WITH CHECK (pg_has_role('{editor}', 'MEMBER') OR pg_has_role('zoneatlas_admin', 'MEMBER'));
"#
        ));
    }
    sql
}

/// The boards the database holds, by slug, with the province each counts for.
pub fn registry(
    client: &mut impl postgres::GenericClient,
) -> Result<Vec<(BoardName, Option<String>)>, StoreProblem> {
    let exists: bool = client
        .query_one("SELECT to_regclass('zoneatlas.boards') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    Ok(client
        .query(
            "SELECT board, name, province FROM zoneatlas.boards ORDER BY board",
            &[],
        )?
        .into_iter()
        .map(|r| {
            (
                BoardName {
                    slug: r.get(0),
                    name: r.get(1),
                },
                r.get(2),
            )
        })
        .collect())
}

/// The boards the database holds, by slug, with their names.
pub fn boards(client: &mut impl postgres::GenericClient) -> Result<Vec<BoardName>, StoreProblem> {
    Ok(registry(client)?.into_iter().map(|(b, _)| b).collect())
}

/// The board a command works on: the one named, else the only one, else `default`.
pub fn choose(
    client: &mut impl postgres::GenericClient,
    target: &str,
    named: Option<&str>,
) -> Result<BoardName, StoreProblem> {
    let there = boards(client)?;
    if there.is_empty() {
        return Err(StoreProblem::NotInitialised {
            target: target.to_string(),
        });
    }
    let names = || there.iter().map(|b| b.name.clone()).collect::<Vec<_>>();
    match named {
        Some(name) => {
            let wanted = BoardName::new(name)?;
            there
                .iter()
                .find(|b| b.slug == wanted.slug)
                .cloned()
                .ok_or_else(|| StoreProblem::NoSuchBoard {
                    board: name.to_string(),
                    boards: names(),
                })
        }
        None => match there.as_slice() {
            [only] => Ok(only.clone()),
            _ => there
                .iter()
                .find(|b| b.slug == DEFAULT_BOARD)
                .cloned()
                .ok_or_else(|| StoreProblem::WhichBoard { boards: names() }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_name_folds_to_an_identifier() {
        let b = BoardName::new("Ban Quản lý các KCN Đồng Nai").unwrap();
        assert_eq!(b.slug, "ban_quan_ly_cac_kcn_dong_nai");
        assert_eq!(b.schema(), "\"za_ban_quan_ly_cac_kcn_dong_nai\"");
        assert_eq!(
            BoardName::new("'; DROP TABLE zones; --").unwrap().slug,
            "drop_table_zones"
        );
        assert!(BoardName::new("  ;-- ").is_err());
        assert!(BoardName::new(&"x".repeat(49)).is_err());
    }
}
