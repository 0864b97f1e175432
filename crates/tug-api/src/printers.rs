//! Server-side printing (`as=Table`) with kube-apiserver's column sets, and the fields each
//! kind lets field selectors filter on.

use serde_json::Value;

/// One `Table.columnDefinitions[]` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// `string`, `integer`, `number`, `boolean` or `date`.
    pub type_: &'static str,
    /// `name` for the name column, else usually empty.
    pub format: &'static str,
    pub description: &'static str,
    /// 0: shown by default; 1: only with `-o wide`.
    pub priority: i32,
}

/// A kind with a server-side printer.
pub trait TablePrinter {
    /// The column definitions, in order.
    fn columns() -> &'static [Column];
    /// The cells of this object's row, one per column, formatted as kube-apiserver does
    /// (ages relative to `now`, `"<none>"` for empty values, …).
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value>;
    /// The row's `conditions` (upstream marks finished pods `Completed`, which kubectl uses
    /// to hide them unless `--show-all`); `None` for none.
    fn row_conditions(&self) -> Option<Value> {
        None
    }
}

/// The fields a kind lets `fieldSelector` filter on (upstream's `GetAttrs`/`ToSelectableFields`).
pub trait SelectableFields {
    /// Every supported field label (always includes `metadata.name` and `metadata.namespace`).
    fn selectable_fields() -> &'static [&'static str];
    /// The value of a supported field for this object (`""` when unset); `None` for an
    /// unsupported field label.
    fn field_value(&self, field: &str) -> Option<String>;
}
