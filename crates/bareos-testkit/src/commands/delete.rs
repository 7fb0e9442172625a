//! `delete` as the director runs it (`DeleteCmd` in `ua_cmds.cc`): `volume`, `pool` or
//! `jobid` from the command line or the `Choose catalog item to delete` list, the pool
//! list, the volume question, the JobId prompt, lists and ranges of JobIds, and the
//! confirmations. What is deleted leaves the director's catalog.

use super::args::has_keyword;
use super::select::{Answer, Choice};
use super::volumes::{choose_pool, choose_volume, Picked};
use super::{Outcome, Session};
use crate::json::Json;
use std::io;

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

/// `DeletePool`: the pool and `Are you sure you want to delete Pool "P"? (yes/no):`;
/// `yes` removes it from the catalog, its volumes with it.
async fn pool(s: &mut Session, args: &[String]) -> io::Result<Option<Json>> {
    let pool = match choose_pool(s, args).await? {
        Picked::One(pool) => pool,
        Picked::Nothing => return Ok(Some(Json::obj())),
        Picked::Gone => return Ok(None),
    };
    let prompt = format!(
        "Are you sure you want to delete Pool \"{}\"? (yes/no): ",
        pool.name
    );
    match s.ask_yes_no(&prompt).await? {
        None => return Ok(None),
        Some(false) => {}
        Some(true) => s
            .config
            .catalog
            .change(|c| c.pools.retain(|p| p.id != pool.id)),
    }
    Ok(Some(Json::obj()))
}

/// `DeleteVolume`: `volume=`, or a pool and the volume name or `*MediaId`; the warning,
/// the question unless `yes`, then the jobs on it and the volume leave the catalog.
async fn volume(s: &mut Session, args: &[String]) -> io::Result<Option<Json>> {
    let (pool, volume) = match choose_volume(s, args).await? {
        Picked::One(found) => found,
        Picked::Nothing => return Ok(Some(Json::obj())),
        Picked::Gone => return Ok(None),
    };
    let name = volume.name.clone();
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
    let ids = super::listing::volume_jobids(s, &pool, &volume);
    let mut result = Json::obj();
    if !ids.is_empty() {
        forget_jobs(s, &ids);
        let list: Vec<String> = ids.iter().map(u32::to_string).collect();
        s.info_msg(format!(
            "Deleted {} jobs and associated records deleted from the catalog (jobids: {}).\n",
            ids.len(),
            list.join(",")
        ))
        .await?;
        result = result.with("jobids", Json::Arr(list.into_iter().map(Json::s).collect()));
    }
    s.config.catalog.change(|c| {
        for p in &mut c.pools {
            p.volumes.retain(|v| v.id != volume.id);
        }
    });
    s.text(format!("Volume {name} deleted.\n")).await?;
    Ok(Some(result.with("volumes", Json::Arr(vec![Json::s(name)]))))
}

/// Removes jobs from the catalog: the recorded ones and the director's runs.
fn forget_jobs(s: &Session, ids: &[u32]) {
    s.config.catalog.change(|c| {
        c.jobs.retain(|j| !ids.contains(&j.id));
        c.deleted_runs.extend_from_slice(ids);
    });
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
    let ids: Vec<u32> = deleted
        .iter()
        .filter_map(|i| u32::try_from(*i).ok())
        .collect();
    forget_jobs(s, &ids);
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
