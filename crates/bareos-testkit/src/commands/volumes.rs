//! Choosing pools, volumes and storages as `delete`, `label` and `update` do
//! (`GetPoolDbr`, `SelectMediaDbr`, `select_storage_resource` in `ua_select.cc`), and
//! reading the values they take (`DurationToUtime`, `parse_user_bool`).

use super::args::value;
use super::records::{PoolRecord, VolumeRecord};
use super::select::Answer;
pub(super) use super::select::Picked;
use super::Session;
use crate::director::StorageSpec;
use std::io;

/// `GetPoolDbr`: `pool=` or the `Defined Pools:` list.
pub(super) async fn choose_pool(
    s: &mut Session,
    args: &[String],
) -> io::Result<Picked<PoolRecord>> {
    let pools = s.config.catalog.snapshot().pools;
    if let Some(name) = value(args, "pool") {
        if let Some(pool) = pools.iter().find(|p| p.name == name) {
            return Ok(Picked::One(pool.clone()));
        }
        s.error_msg(format!(
            "Could not find Pool \"{name}\": ERR=Pool record not found in Catalog.\n"
        ))
        .await?;
    }
    let items: Vec<String> = pools.iter().map(|p| p.name.clone()).collect();
    let picked = s
        .pick("Defined Pools:\n", &items, "Pool", "Select the Pool")
        .await?;
    Ok(picked.map(|i| pools[i].clone()))
}

/// The volume called `typed` (a name, or `*MediaId`) and its pool; the director's
/// error when there is none.
pub(super) async fn find_volume(
    s: &mut Session,
    typed: &str,
) -> io::Result<Option<(PoolRecord, VolumeRecord)>> {
    let by_id = typed.strip_prefix('*').and_then(|n| n.parse::<u32>().ok());
    let found = s.config.catalog.snapshot().pools.into_iter().find_map(|p| {
        let volume = p
            .volumes
            .iter()
            .find(|v| by_id.map_or(v.name == typed, |id| v.id == id))
            .cloned();
        volume.map(|v| (p, v))
    });
    if found.is_none() {
        let error = match by_id {
            Some(id) => format!("Media record MediaId={id} not found.\n"),
            None => format!("Media record for Volume \"{typed}\" not found.\n"),
        };
        s.error_msg(error).await?;
    }
    Ok(found)
}

/// `SelectMediaDbr`: `volume=`, else the pool, its volumes and `E.g. "full-0001" or
/// "*42":`.
pub(super) async fn choose_volume(
    s: &mut Session,
    args: &[String],
) -> io::Result<Picked<(PoolRecord, VolumeRecord)>> {
    let typed = match value(args, "volume") {
        Some(v) => v.to_string(),
        None => {
            let pool = match choose_pool(s, args).await? {
                Picked::One(pool) => pool,
                Picked::Nothing => return Ok(Picked::Nothing),
                Picked::Gone => return Ok(Picked::Gone),
            };
            super::listing::send_volumes(s, &pool, false).await?;
            s.text(
                "Enter the volume name or MediaId of the volume prefixed with an asterisk (*).\n",
            )
            .await?;
            match s.ask("E.g. \"full-0001\" or \"*42\": ").await? {
                Answer::Text(t) => t,
                Answer::Cancel => return Ok(Picked::Nothing),
                Answer::Gone => return Ok(Picked::Gone),
            }
        }
    };
    Ok(match find_volume(s, &typed).await? {
        Some(found) => Picked::One(found),
        None => Picked::Nothing,
    })
}

/// `get_storage_resource`: `storage=` or the `The defined Storage resources are:` list.
pub(super) async fn choose_storage(
    s: &mut Session,
    args: &[String],
) -> io::Result<Picked<StorageSpec>> {
    let storages = s.config.storages.clone();
    if let Some(name) = value(args, "storage") {
        if let Some(store) = storages.iter().find(|st| st.name == name) {
            return Ok(Picked::One(store.clone()));
        }
        s.error_msg(format!("Storage resource \"{name}\": not found\n"))
            .await?;
    }
    let items: Vec<String> = storages.iter().map(|st| st.name.clone()).collect();
    let picked = s
        .pick(
            "The defined Storage resources are:\n",
            &items,
            "Storage",
            "Select Storage resource",
        )
        .await?;
    Ok(picked.map(|i| storages[i].clone()))
}

/// `DurationToUtime`: numbers with optional units (`n` minutes, `s`econds, `m`onths,
/// `min`utes, `h`ours, `d`ays, `w`eeks, `q`uarters, `y`ears, each a prefix), summed.
pub(super) fn duration_seconds(text: &str) -> Option<u64> {
    const UNITS: [(&str, f64); 10] = [
        ("n", 60.0),
        ("seconds", 1.0),
        ("months", 2_592_000.0),
        ("minutes", 60.0),
        ("mins", 60.0),
        ("hours", 3600.0),
        ("days", 86_400.0),
        ("weeks", 604_800.0),
        ("quarters", 7_862_400.0),
        ("years", 31_536_000.0),
    ];
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = rest[number_end..].trim_start();
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = rest[..unit_end].to_ascii_lowercase();
        let factor = if unit.is_empty() {
            1.0
        } else {
            UNITS.iter().find(|(name, _)| name.starts_with(&unit))?.1
        };
        total += number * factor;
        rest = rest[unit_end..].trim_start_matches([' ', ',']);
    }
    Some(total as u64)
}

/// `parse_user_bool`: `yes` or `no`, any case.
pub(super) fn yes_or_no(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if text.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_the_director_reads_them() {
        assert_eq!(duration_seconds("60"), Some(60));
        assert_eq!(duration_seconds("1 year"), Some(31_536_000));
        assert_eq!(duration_seconds("30 days"), Some(2_592_000));
        assert_eq!(duration_seconds("1m"), Some(2_592_000));
        assert_eq!(duration_seconds("2 hours 30 min"), Some(9000));
        assert_eq!(duration_seconds("soon"), None);
        assert_eq!(duration_seconds(""), None);
        assert_eq!(yes_or_no("YES"), Some(true));
        assert_eq!(yes_or_no("1"), None);
    }
}
