//! The servers and the driver as child processes: each in its own process group, killed (the
//! whole group) when dropped, so no server outlives a run, a failure or a panic; every wait
//! is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A server process; dropping it kills its process group.
pub struct Server {
    child: Child,
    /// Held open: the oracle stops when its stdin closes.
    _stdin: Option<ChildStdin>,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    // SAFETY: `kill` with the negated id of a process group this run created.
    unsafe {
        libc::kill(-(child.id() as i32), libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn own_group(cmd: &mut Command) -> &mut Command {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        cmd.process_group(0);
        // Killed with us too, even when we are killed (no `Drop` runs then).
        #[cfg(target_os = "linux")]
        // SAFETY: `prctl` is async-signal-safe, as `pre_exec` requires.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    cmd
}

/// Start the request oracle; it prints `listening PORT` once it has written the calls.
pub fn oracle(
    python: &Path,
    script: &Path,
    spec: &Path,
    plan: &Path,
    calls: &Path,
    prism_copy: &Path,
) -> Result<Server, String> {
    let mut child = own_group(
        Command::new(python)
            .arg(script)
            .args([spec, plan, calls, prism_copy])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
    .spawn()
    .map_err(|e| format!("starting {}: {e}", python.display()))?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(p) = line.strip_prefix("listening ") {
                let _ = tx.send(p.trim().parse::<u16>().ok());
                return;
            }
        }
        let _ = tx.send(None);
    });
    let mut server = Server {
        child,
        _stdin: stdin,
        port: 0,
    };
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Some(port)) => {
            server.port = port;
            Ok(server)
        }
        _ => {
            drop(server);
            let mut err = String::new();
            let _ = BufReader::new(stderr).take(4000).read_to_string(&mut err);
            Err(format!("the request oracle did not start: {}", err.trim()))
        }
    }
}

/// Start Prism's dynamic mock of `spec` with `seed` on a free port; [`ready`] waits for it.
pub fn prism(bin: &Path, spec: &Path, seed: u64) -> Result<Server, String> {
    let port = free_port()?;
    let child = own_group(
        Command::new(bin)
            .args(["mock", "-d", "--seed"])
            .arg(seed.to_string())
            .args(["-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )
    .spawn()
    .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    Ok(Server {
        child,
        _stdin: None,
        port,
    })
}

/// Wait (60 s at most) until a started server accepts connections.
pub fn ready(server: &mut Server) -> Result<(), String> {
    let port = server.port;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(format!("prism exited ({status}) before listening"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("prism did not listen within 60 s".into())
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Run the driver against `base` with `input` (JSON lines) on stdin; its stdout lines.
/// Killed after `limit`.
pub fn drive(bin: &Path, base: &str, input: &str, limit: Duration) -> Result<Vec<String>, String> {
    let mut child = own_group(
        Command::new(bin)
            .arg(base)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
    .spawn()
    .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_owned();
    std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                kill_group(&mut child);
                return Err(format!("the driver took longer than {} s", limit.as_secs()));
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let out = out.join().unwrap_or_default();
    if !status.success() {
        let err = err.join().unwrap_or_default();
        let tail: String = err.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
        return Err(format!("the driver failed ({status}): {tail}"));
    }
    Ok(out.lines().map(str::to_owned).collect())
}
