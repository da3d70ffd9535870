//! Writing a key file safely: a temporary file in the same folder (a name that cannot collide,
//! with the permissions and owner of the file it replaces, or 0600 for a new file), flushed
//! and synced, then renamed over the file, then the folder synced. An instance that reloads the
//! file reads the old text or the new one, never a part; a failure leaves the file as it was and
//! no temporary file behind.

use std::{
    ffi::OsStr,
    fs::{self, File, OpenOptions},
    io::{ErrorKind, Write as _},
    path::{Path, PathBuf},
};

use sealed_session::SessionId;

use crate::keyfile::{self, shown};

/// Refuses a path this tool must not write: a symbolic link (a Kubernetes secret volume's
/// files are links into a read-only folder), or something that is not a plain file. A missing
/// file passes (`keys init` makes it).
pub(crate) fn check_target(path: &Path) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "key file {} is a symbolic link, which this tool does not edit. A Kubernetes secret \
             mounted in a pod is such a link into a read-only folder: edit the Secret itself \
             (`kubectl edit secret NAME`, or change its manifest and `kubectl apply`), not the \
             file in the pod; the kubelet updates the mount and instances reload it. Anywhere \
             else, run the command on the file the link points to",
            shown(path)
        )),
        Ok(meta) if !meta.is_file() => Err(format!(
            "key file {} is not a plain file: give the path of a key file",
            shown(path)
        )),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!(
            "key file {}: it cannot be examined ({}): check the path, and that this user may \
             read its folder",
            shown(path),
            e.kind()
        )),
    }
}

/// Replaces the file at `path` with `contents`, if it still holds `expected` (what the command
/// read): otherwise someone changed it meanwhile, and nothing is written.
pub(crate) fn replace(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), String> {
    check_target(path)?;
    let meta = fs::metadata(path).map_err(|e| cannot_write(path, &e))?;
    let mut temp = write_temp(path, contents, Some(&meta))?;
    let now = keyfile::read(path)?;
    if now.as_slice() != expected {
        return Err(format!(
            "key file {} changed while this command ran (another edit?): nothing was written; \
             run the command again",
            shown(path)
        ));
    }
    fs::rename(&temp.path, path).map_err(|e| cannot_write(path, &e))?;
    temp.disarm();
    sync_folder(path);
    Ok(())
}

/// Writes a new file at `path` (0600 on Unix), never over an existing one.
pub(crate) fn create_new(path: &Path, contents: &[u8]) -> Result<(), String> {
    check_target(path)?;
    let mut temp = write_temp(path, contents, None)?;
    let exists = || {
        format!(
            "key file {} exists (made while this command ran?): nothing was written",
            shown(path)
        )
    };
    // A hard link is made only where no file is: no race with another writer.
    match fs::hard_link(&temp.path, path) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Err(exists()),
        // A file system without hard links: check, then rename.
        Err(_) => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(exists());
            }
            fs::rename(&temp.path, path).map_err(|e| cannot_write(path, &e))?;
            temp.disarm();
        }
    }
    // The temporary name (if still there) goes with `temp`.
    drop(temp);
    sync_folder(path);
    Ok(())
}

/// A temporary file, removed when dropped unless it has been renamed.
struct Temp {
    path: PathBuf,
    armed: bool,
}

impl Temp {
    fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The folder a path is in (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `contents` to a new temporary file next to `path`, with the permissions and owner of
/// `like` (0600 without), flushed and synced.
fn write_temp(path: &Path, contents: &[u8], like: Option<&fs::Metadata>) -> Result<Temp, String> {
    let name: String = path
        .file_name()
        .map(OsStr::to_string_lossy)
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(64)
        .collect();
    let random = SessionId::random().map_err(|e| format!("{e}: nothing was written"))?;
    let temp_path = folder(path).join(format!(".{name}.{}.{random}.tmp", std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&temp_path)
        .map_err(|e| cannot_write(path, &e))?;
    let temp = Temp {
        path: temp_path,
        armed: true,
    };
    match like {
        Some(meta) => {
            same_owner(&file, meta, path)?;
            file.set_permissions(meta.permissions())
        }
        None => set_new_file_permissions(&file),
    }
    .map_err(|e| cannot_write(path, &e))?;
    file.write_all(contents)
        .and_then(|()| file.flush())
        .and_then(|()| file.sync_all())
        .map_err(|e| cannot_write(path, &e))?;
    Ok(temp)
}

/// A new key file is for its owner alone: 0600 (elsewhere, the system's default).
fn set_new_file_permissions(file: &File) -> std::io::Result<()> {
    #[cfg(unix)]
    return file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// The new file gets the owner and group of the one it replaces (a key file owned by the
/// service's user, edited as root, must stay readable by the service).
#[cfg(unix)]
fn same_owner(file: &File, like: &fs::Metadata, path: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt as _;
    let mine = file.metadata().map_err(|e| cannot_write(path, &e))?;
    if (mine.uid(), mine.gid()) == (like.uid(), like.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid())).map_err(|e| {
        format!(
            "key file {} belongs to user {} and group {}, which the new copy cannot be given \
             ({}): nothing was written; run the command as that user, or as root",
            shown(path),
            like.uid(),
            like.gid(),
            e.kind()
        )
    })
}

#[cfg(not(unix))]
fn same_owner(_file: &File, _like: &fs::Metadata, _path: &Path) -> Result<(), String> {
    Ok(())
}

/// Syncs the folder, so that the rename survives a crash (best effort: not every system can).
fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder(path)) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn cannot_write(path: &Path, error: &std::io::Error) -> String {
    if error.kind() == ErrorKind::ReadOnlyFilesystem {
        return format!(
            "key file {} is on a read-only file system: nothing was written. A Kubernetes \
             secret mounted in a pod is read-only: edit the Secret itself (`kubectl edit secret \
             NAME`, or change its manifest and `kubectl apply`); elsewhere, edit the file where \
             it is writable",
            shown(path)
        );
    }
    format!(
        "key file {}: cannot write it or its folder ({}): nothing was written; check that this \
         user may write in the folder",
        shown(path),
        error.kind()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_of_a_bare_name_is_the_current_one() {
        assert_eq!(folder(Path::new("keys")), Path::new("."));
        assert_eq!(folder(Path::new("/run/keys")), Path::new("/run"));
    }
}
