//! `label` (`do_label` in `ua_label.cc`): the storage (`storage=` or the list), the new
//! volume name (`volume=` or `Enter new Volume name:`, checked as
//! `IsVolumeNameLegal` does and asked again), `slot=`, the pool (`pool=` or the list),
//! then the storage daemon's answer and the new catalog record, which `list volumes`
//! shows from then on. `yes` is taken (it matters for barcodes only).

use super::args::value;
use super::records::VolumeRecord;
use super::select::Answer;
use super::volumes::{choose_pool, choose_storage, Picked};
use super::Session;
use crate::json::Json;
use std::io;

/// What `label` ended with: `Some((ok, result))` (the director's `label` always
/// succeeds, transcript 17), or `None` when the connection is gone.
type Step = io::Result<Option<(bool, Json)>>;

/// The bytes a new file volume holds after its label.
const LABEL_BYTES: u64 = 207;
/// The device of the simulated storage daemon.
const DEVICE: &str = "\"FileStorage\" (/var/lib/bareos/storage)";

/// Why a volume name is refused (`IsVolumeNameLegal`), `None` if it is legal.
fn illegal_name(name: &str) -> Option<String> {
    if name.starts_with('/') {
        return Some("Volume name can not start with \"/\".\n".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || ":.-_/".contains(*c)))
    {
        return Some(format!("Illegal character \"{c}\" in a volume name.\n"));
    }
    if name.len() >= 128 {
        return Some("Volume name too long.\n".into());
    }
    if name.is_empty() {
        return Some("Volume name must be at least one character long.\n".into());
    }
    None
}

/// The new volume's name: `volume=` first, then asked until it is legal and new.
async fn volume_name(s: &mut Session, args: &[String]) -> io::Result<Picked<String>> {
    let mut given = value(args, "volume").map(str::to_string);
    loop {
        let name = match given.take() {
            Some(name) => name,
            None => match s.ask("Enter new Volume name: ").await? {
                Answer::Text(t) => t,
                Answer::Cancel => return Ok(Picked::Nothing),
                Answer::Gone => return Ok(Picked::Gone),
            },
        };
        if let Some(error) = illegal_name(&name) {
            s.error_msg(error).await?;
            if s.api == 2 {
                return Ok(Picked::Nothing);
            }
            continue;
        }
        let exists = s
            .config
            .catalog
            .snapshot()
            .pools
            .iter()
            .any(|p| p.volumes.iter().any(|v| v.name == name));
        if exists {
            s.error_msg(format!(
                "Media record for new Volume \"{name}\" already exists.\n"
            ))
            .await?;
            if s.api == 2 {
                return Ok(Picked::Nothing);
            }
            continue;
        }
        return Ok(Picked::One(name));
    }
}

/// `label [storage=S] [volume=V] [slot=N] [pool=P] [yes]`.
pub(super) async fn run(s: &mut Session, args: &[String]) -> Step {
    let storage = match choose_storage(s, args).await? {
        Picked::One(storage) => storage,
        Picked::Nothing => return Ok(Some((true, Json::obj()))),
        Picked::Gone => return Ok(None),
    };
    let name = match volume_name(s, args).await? {
        Picked::One(name) => name,
        Picked::Nothing => return Ok(Some((true, Json::obj()))),
        Picked::Gone => return Ok(None),
    };
    let slot = value(args, "slot")
        .and_then(|n| n.parse::<i64>().ok())
        .map_or(0, |n| n.max(0) as u64);
    let pool = match choose_pool(s, args).await? {
        Picked::One(pool) => pool,
        Picked::Nothing => return Ok(Some((true, Json::obj()))),
        Picked::Gone => return Ok(None),
    };
    s.text(format!(
        "Connecting to Storage daemon {} at {}:{} ...\n",
        storage.name, storage.address, storage.port
    ))
    .await?;
    if !storage.reachable {
        s.error_msg("Failed to connect to Storage daemon.\n")
            .await?;
        s.error_msg(format!("Label command failed for Volume {name}.\n"))
            .await?;
        s.info_msg("Do not forget to mount the drive!!!\n").await?;
        return Ok(Some((true, Json::obj())));
    }
    s.text(format!(
        "Sending label command for Volume \"{name}\" Slot {slot} ...\n"
    ))
    .await?;
    s.text(format!(
        "3000 OK label. VolFiles=0 VolBytes={LABEL_BYTES} Volume=\"{name}\" Device={DEVICE}\n"
    ))
    .await?;
    let maxvolbytes = pool
        .volumes
        .first()
        .map_or(53_687_091_200, |v| v.maxvolbytes);
    s.config.catalog.change(|c| {
        let id = c.next_mediaid();
        let mut volume = VolumeRecord::new(id, &name, "Append", LABEL_BYTES, maxvolbytes);
        volume.slot = slot;
        volume.inchanger = slot > 0;
        if let Some(p) = c.pools.iter_mut().find(|p| p.id == pool.id) {
            p.volumes.push(volume);
        }
    });
    s.info_msg(format!(
        "Catalog record for Volume \"{name}\", Slot {slot} successfully created.\n"
    ))
    .await?;
    s.info_msg("Requesting to mount FileStorage ...\n").await?;
    s.text(format!("3906 File device {DEVICE} is always mounted.\n"))
        .await?;
    Ok(Some((true, Json::obj())))
}

#[cfg(test)]
mod tests {
    use super::illegal_name;

    #[test]
    fn volume_names_as_the_director_checks_them() {
        assert_eq!(illegal_name("Full-0002"), None);
        assert_eq!(illegal_name("a:b.c_d/e"), None);
        assert_eq!(
            illegal_name("/abs").as_deref(),
            Some("Volume name can not start with \"/\".\n")
        );
        assert_eq!(
            illegal_name("bad name").as_deref(),
            Some("Illegal character \" \" in a volume name.\n")
        );
        assert!(illegal_name("").is_some());
        assert!(illegal_name(&"x".repeat(128)).is_some());
    }
}
