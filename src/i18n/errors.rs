//! Load and save errors in words: the file, the place (line and column) and what is wrong.

use super::{Lang, Message};
use crate::engine::document::LoadError;

impl Message for LoadError {
    fn message(&self, _lang: Lang) -> String {
        self.to_string()
    }
}
