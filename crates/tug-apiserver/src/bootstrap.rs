//! Built-in objects every cluster has, and the small system loop that keeps them:
//! the namespaces `default`, `kube-system`, `kube-public`, `kube-node-lease`; the
//! `kubernetes` Service and Endpoints in `default`; the `system-node-critical` and
//! `system-cluster-critical` PriorityClasses; a `default` ServiceAccount in every
//! namespace (upstream's serviceaccounts controller).
//!
//! These writes go through the same admission path as any client's ([`Ctx::create_value`]).

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tug_api::status::ApiError;

use crate::object::meta_str;
use crate::registry::WriteKind;
use crate::rest::Ctx;

/// The namespaces that always exist.
pub const SYSTEM_NAMESPACES: &[&str] =
    &["default", "kube-system", "kube-public", "kube-node-lease"];

async fn ensure(
    ctx: &Ctx,
    kind: WriteKind,
    group: &str,
    plural: &str,
    ns: &str,
    mut obj: Value,
) -> Result<(), ApiError> {
    let s = ctx
        .registry
        .get(group, "v1", plural)
        .ok_or_else(|| ApiError::internal(format!("no strategy for {plural}")))?
        .clone();
    match ctx.create_value(&*s, ns, &mut obj, kind, false).await {
        Ok(_) => Ok(()),
        Err(e) if e.code == 409 && e.reason == "AlreadyExists" => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates the built-in objects that are missing. `advertise` is the API server's
/// `ip:port` published in the `kubernetes` Endpoints.
pub async fn ensure_builtin(ctx: &Ctx, advertise_ip: &str, port: u16) -> Result<(), ApiError> {
    for ns in SYSTEM_NAMESPACES {
        ensure(
            ctx,
            WriteKind::Create,
            "",
            "namespaces",
            "",
            json!({"metadata": {"name": ns}}),
        )
        .await?;
        ensure_default_service_account(ctx, ns).await?;
    }
    let ip = ctx.services.first_ip().to_string();
    ensure(
        ctx,
        WriteKind::Create,
        "",
        "services",
        "default",
        json!({
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": ip, "type": "ClusterIP", "sessionAffinity": "None",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}]},
        }),
    )
    .await?;
    // Upstream's endpoint reconciler writes storage directly: its address may be loopback,
    // which client-facing validation rejects.
    ensure(
        ctx,
        WriteKind::System,
        "",
        "endpoints",
        "default",
        json!({
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": advertise_ip}],
                         "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
        }),
    )
    .await?;
    // Upstream's scheduling post-start hook: the built-in `system-` PriorityClasses.
    for (name, value, description) in tug_api::validation::scheduling::SYSTEM_PRIORITY_CLASSES {
        ensure(
            ctx,
            WriteKind::Create,
            "scheduling.k8s.io",
            "priorityclasses",
            "",
            json!({"metadata": {"name": name}, "value": value, "description": description}),
        )
        .await?;
    }
    Ok(())
}

async fn ensure_default_service_account(ctx: &Ctx, ns: &str) -> Result<(), ApiError> {
    ensure(
        ctx,
        WriteKind::Create,
        "",
        "serviceaccounts",
        ns,
        json!({"metadata": {"name": "default", "namespace": ns}}),
    )
    .await
}

/// Watches namespaces and gives every new one its `default` ServiceAccount. Runs until the
/// store closes; restarts its watch after errors.
pub async fn service_account_loop(ctx: Arc<Ctx>) {
    let Some(info) = tug_api::resources::find("", "v1", "namespaces") else {
        return;
    };
    let prefix = info.key_prefix();
    loop {
        let start = match ctx.store.current_revision().await {
            Ok(r) => r,
            Err(_) => return,
        };
        // Catch up on namespaces created while the loop was not watching.
        if let Ok(page) = ctx
            .store
            .list(tug_store::ListRequest {
                prefix: prefix.clone(),
                revision: start,
                ..Default::default()
            })
            .await
        {
            for kv in page.items {
                if let Ok(v) = crate::object::from_kv(&kv)
                    && meta_str(&v, "deletionTimestamp").is_empty()
                {
                    let _ = ensure_default_service_account(&ctx, meta_str(&v, "name")).await;
                }
            }
        }
        let mut events = match ctx.store.watch(&prefix, start).await {
            Ok(s) => s,
            Err(tug_store::StoreError::Closed) => return,
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        while let Some(ev) = events.next().await {
            let Ok(ev) = ev else { break };
            if ev.kind == tug_store::EventKind::Put
                && ev.prev.is_none()
                && let Ok(v) = crate::object::from_kv(&ev.kv)
                && let Err(e) = ensure_default_service_account(&ctx, meta_str(&v, "name")).await
            {
                tracing::warn!("default service account for {}: {e}", meta_str(&v, "name"));
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
