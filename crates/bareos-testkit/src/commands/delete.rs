//! `delete` as the director runs it (`DeleteCmd` in `ua_cmds.cc`): `volume`, `pool` or
//! `jobid` from the command line or the `Choose catalog item to delete` list, the pool
//! list, the volume question, the JobId prompt, lists and ranges of JobIds, and the
//! confirmations. The fixed catalog itself stays as it is.

use super::args::{has_keyword, value};
use super::select::{Answer, Choice};
use super::{Outcome, Session};
use crate::json::Json;
use std::io;

/// The pools of the fixed catalog in PoolId order.
const POOLS: [&str; 4] = ["Scratch", "Incremental", "Full", "Differential"];

/// The volumes of the fixed catalog: `(mediaid, name, pool, jobids on it)`.
const VOLUMES: [(u32, &str, &str, &str); 1] = [(1, "Full-0001", "Full", "1,3,4")];

/// Runs `delete` with its own brackets; the API 2 result lists what was deleted.
pub(super) async fn run(s: &mut Session, args: &[String]) -> io::Result<Outcome> {
    s.begin().await?;
    super::restore::open_private_catalog(s, args).await?;
    const KEYWORDS: [&str; 4] = ["volume", "pool", "jobid", "storage"];
    let keyword = args
        .iter()
        .map(|a| a.split_once('=').map_or(a.as_str(), |(k, _)| k))
        .find_map(|k| KEYWORDS.iter().position(|w| w.eq_ignore_ascii_case(k)));
    let keyword = match keyword {
        Some(k) => Some(k),
        None => {
            s.warning_msg("In general it is not a good idea to delete either a\nPool or a Volume since they may contain data.\n\n")
                .await?;
            let items: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
            match s
                .choose(
                    "You have the following choices:\n",
                    &items,
                    "",
                    "Choose catalog item to delete",
                )
                .await?
            {
                Choice::Item(i) => Some(i),
                Choice::Gone => return Ok(Outcome::Quit),
                Choice::Aborted | Choice::Empty => None,
            }
        }
    };
    let deleted = match keyword {
        Some(0) => volume(s, args).await?,
        Some(1) => pool(s, args).await?,
        Some(2) => jobs(s, args).await?,
        Some(_) => {
            s.error_msg("delete storage: is not simulated by the test director.\n")
                .await?;
            Some(Json::obj())
        }
        None => {
            s.warning_msg("Nothing done.\n").await?;
            Some(Json::obj())
        }
    };
    let Some(deleted) = deleted else {
        return Ok(Outcome::Quit);
    };
    s.finish(true, Json::obj().with("deleted", deleted)).await?;
    Ok(Outcome::Done)
}

/// `GetPoolDbr`: `pool=` or the `Defined Pools:` list; `Ok(None)` when gone,
/// `Ok(Some(None))` when nothing was chosen.
async fn choose_pool(s: &mut Session, args: &[String]) -> io::Result<Option<Option<String>>> {
    if let Some(name) = value(args, "pool") {
        if POOLS.contains(&name) {
            return Ok(Some(Some(name.to_string())));
        }
        s.error_msg(format!(
            "Could not find Pool \"{name}\": ERR=Pool record not found in Catalog.\n"
        ))
        .await?;
    }
    let items: Vec<String> = POOLS.iter().map(|p| p.to_string()).collect();
    match s
        .choose("Defined Pools:\n", &items, "Pool", "Select the Pool")
        .await?
    {
        Choice::Item(i) => Ok(Some(Some(items[i].clone()))),
        Choice::Gone => Ok(None),
        Choice::Aborted | Choice::Empty => Ok(Some(None)),
    }
}

/// `DeletePool`: the pool and `Are you sure you want to delete Pool "P"? (yes/no):`.
async fn pool(s: &mut Session, args: &[String]) -> io::Result<Option<Json>> {
    let Some(chosen) = choose_pool(s, args).await? else {
        return Ok(None);
    };
    if let Some(name) = chosen {
        let prompt = format!("Are you sure you want to delete Pool \"{name}\"? (yes/no): ");
        if s.ask_yes_no(&prompt).await?.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(Json::obj()))
}

/// `DeleteVolume`: `volume=`, or a pool and the volume name or `*MediaId`; the warning,
/// the question unless `yes`, the jobs on it and the volume.
async fn volume(s: &mut Session, args: &[String]) -> io::Result<Option<Json>> {
    let typed = match value(args, "volume") {
        Some(v) => v.to_string(),
        None => {
            let Some(chosen) = choose_pool(s, args).await? else {
                return Ok(None);
            };
            if chosen.is_none() {
                return Ok(Some(Json::obj()));
            }
            s.text(
                "Enter the volume name or MediaId of the volume prefixed with an asterisk (*).\n",
            )
            .await?;
            match s.ask("E.g. \"full-0001\" or \"*42\": ").await? {
                Answer::Text(t) => t,
                Answer::Cancel => return Ok(Some(Json::obj())),
                Answer::Gone => return Ok(None),
            }
        }
    };
    let by_id = typed.strip_prefix('*').and_then(|n| n.parse::<u32>().ok());
    let found = VOLUMES
        .iter()
        .find(|v| by_id.map_or(v.1 == typed, |id| v.0 == id));
    let Some(&(_, name, _, jobids)) = found else {
        let error = match by_id {
            Some(id) => format!("Media record MediaId={id} not found.\n"),
            None => format!("Media record for Volume \"{typed}\" not found.\n"),
        };
        s.error_msg(error).await?;
        return Ok(Some(Json::obj()));
    };
    s.warning_msg(format!(
        "\nThis command will delete volume {name}\nand all Jobs saved on that volume from the Catalog\n"
    ))
    .await?;
    if !has_keyword(args, "yes") {
        let prompt = format!("Are you sure you want to delete Volume \"{name}\"? (yes/no): ");
        match s.ask_yes_no(&prompt).await? {
            None => return Ok(None),
            Some(false) => return Ok(Some(Json::obj())),
            Some(true) => {}
        }
    }
    let ids: Vec<&str> = jobids.split(',').collect();
    s.info_msg(format!(
        "Deleted {} jobs and associated records deleted from the catalog (jobids: {jobids}).\n",
        ids.len()
    ))
    .await?;
    s.text(format!("Volume {name} deleted.\n")).await?;
    Ok(Some(
        Json::obj()
            .with(
                "jobids",
                Json::Arr(ids.iter().map(|i| Json::s(*i)).collect()),
            )
            .with("volumes", Json::Arr(vec![Json::s(name)])),
    ))
}

/// `DeleteJob`: every `jobid=` (lists and ranges; more than 25 in a range are asked
/// for), or `Enter JobId to delete:`.
async fn jobs(s: &mut Session, args: &[String]) -> io::Result<Option<Json>> {
    let lists: Vec<&str> = args
        .iter()
        .filter_map(|a| a.split_once('='))
        .filter(|(k, _)| k.eq_ignore_ascii_case("jobid"))
        .map(|(_, v)| v)
        .collect();
    let mut deleted: Vec<u64> = Vec::new();
    if lists.is_empty() {
        loop {
            match s.ask("Enter JobId to delete: ").await? {
                Answer::Text(t) => match t.parse::<u64>() {
                    Ok(id) => {
                        deleted.push(id);
                        break;
                    }
                    Err(_) => {
                        s.warning_msg(format!("Expected a positive integer, got: {t}\n"))
                            .await?
                    }
                },
                Answer::Cancel => return Ok(Some(Json::obj())),
                Answer::Gone => return Ok(None),
            }
        }
    }
    for list in lists {
        for token in list.split(',') {
            if let Some((from, to)) = token.split_once('-') {
                let (Ok(a), Ok(b)) = (from.parse::<u64>(), to.parse::<u64>()) else {
                    s.error_msg(format!("Illegal JobId range {from} - {to}, ignored\n"))
                        .await?;
                    continue;
                };
                if b <= a {
                    s.error_msg(format!(
                        "Illegal JobId range {from} - {to} should define increasing JobIds, ignored\n"
                    ))
                    .await?;
                    continue;
                }
                if b - a > 25 {
                    let prompt = format!(
                        "Are you sure you want to delete {} JobIds ? (yes/no): ",
                        b - a
                    );
                    match s.ask_yes_no(&prompt).await? {
                        None => return Ok(None),
                        Some(false) => continue,
                        Some(true) => {}
                    }
                }
                deleted.extend(a..=b);
            } else {
                match token.parse::<u64>() {
                    Ok(id) => deleted.push(id),
                    Err(_) => {
                        s.error_msg(format!("Illegal JobId {token} ignored\n"))
                            .await?
                    }
                }
            }
        }
    }
    for id in &deleted {
        s.text(format!(
            "Jobid {id} and associated records deleted from the catalog.\n"
        ))
        .await?;
    }
    Ok(Some(Json::obj().with(
        "jobids",
        Json::Arr(deleted.iter().map(|i| Json::s(i.to_string())).collect()),
    )))
}
