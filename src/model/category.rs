//! Categories: the folders of `procedures/`, named and ordered by `procedures/categories.yaml`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One category, declared in `categories.yaml` as a folder name with its display name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// The folder name under `procedures/` (ASCII, e.g. `ho-tich`).
    pub id: String,
    /// The display name (e.g. "Hộ tịch: khai sinh, khai tử, kết hôn").
    pub name: String,
    /// One sentence describing what the category holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The whole `categories.yaml` file: categories in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoriesFile {
    /// The categories, in the order the site shows them.
    pub categories: Vec<Category>,
}
