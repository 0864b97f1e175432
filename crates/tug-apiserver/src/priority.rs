//! PriorityClass rules that need more than the object at hand: the Priority admission
//! plugin's check that only one class is the global default
//! (`plugin/pkg/admission/priority`, `validatePriorityClass`), and the priority-class
//! REST storage's refusal to delete the built-in `system-` classes.

use serde_json::Value;
use tug_api::resources::ResourceInfo;
use tug_api::status::{ApiError, Qualified};
use tug_api::validation::scheduling::SYSTEM_PRIORITY_CLASSES;
use tug_store::ListRequest;

use crate::object::{self, meta_str};
use crate::rest::{Ctx, store_error};

fn is_priority_classes(info: &ResourceInfo) -> bool {
    (info.group, info.plural) == ("scheduling.k8s.io", "priorityclasses")
}

fn qualified() -> Qualified {
    Qualified::new("scheduling.k8s.io", "priorityclasses")
}

/// Validating admission of a create or update: a class may become the global default only
/// when no other class is (the stored default itself may be updated). Upstream picks the
/// lowest-valued default when a race left several. Other resources pass.
pub async fn validate_write(
    ctx: &Ctx,
    info: &ResourceInfo,
    obj: &Value,
    update: bool,
) -> Result<(), ApiError> {
    if !is_priority_classes(info) || obj.get("globalDefault") != Some(&Value::Bool(true)) {
        return Ok(());
    }
    let page = ctx
        .store
        .list(ListRequest {
            prefix: info.key_prefix(),
            ..Default::default()
        })
        .await
        .map_err(store_error)?;
    let mut default: Option<(i64, String)> = None;
    for kv in &page.items {
        let Ok(pc) = object::from_kv(kv) else {
            continue;
        };
        if pc.get("globalDefault") != Some(&Value::Bool(true)) {
            continue;
        }
        let value = pc.get("value").and_then(Value::as_i64).unwrap_or(0);
        if default.as_ref().is_none_or(|(v, _)| *v > value) {
            default = Some((value, meta_str(&pc, "name").to_string()));
        }
    }
    let name = meta_str(obj, "name");
    match default {
        Some((_, existing)) if !update || existing != name => Err(ApiError::forbidden(
            &qualified(),
            name,
            format!(
                "PriorityClass {existing} is already marked as default. Only one default can exist"
            ),
        )),
        _ => Ok(()),
    }
}

/// The built-in classes cannot be deleted one by one (a collection delete, as upstream's,
/// does not ask).
pub fn check_delete(info: &ResourceInfo, name: &str) -> Result<(), ApiError> {
    if is_priority_classes(info) && SYSTEM_PRIORITY_CLASSES.iter().any(|(n, _, _)| *n == name) {
        return Err(ApiError::forbidden(
            &qualified(),
            name,
            "this is a system priority class and cannot be deleted",
        ));
    }
    Ok(())
}
