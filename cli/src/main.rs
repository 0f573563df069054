//! `wiregen`: typed Rust clients from OpenAPI and WSDL specs (see README.md).

use std::path::PathBuf;
use std::process::ExitCode;

use wiregen::{CrateOptions, Input, Mode};

const USAGE: &str = "\
usage:
  wiregen generate <spec file or specs.toml> --out <dir> [options]
                   write a complete crate (Cargo.toml, src/lib.rs, one module
                   and cargo feature per API, diagnostics/) into <dir>
  wiregen check <spec file or specs.toml> --out <dir> [options]
                   change nothing; fail (exit code 1) listing stale, missing
                   and extra files when <dir> is not what generate would write
  wiregen new <dir> [--crate-name <name>] [--runtime-path <p> | --runtime-version <v>]
                   create a workspace: specs/specs.toml, the generated crate,
                   a README saying how to add a spec

options:
  --crate-name <name>       package name of the generated crate
                            (default: specs.toml's [crate] name, else api-clients)
  --runtime-path <path>     depend on wiregen-runtime by path (as written in the
                            crate's Cargo.toml: relative to <dir>)
  --runtime-version <req>   depend on wiregen-runtime from crates.io (the default,
                            with this wiregen's version)
  --derive <path>           add a derive to every OpenAPI schema type (repeatable)
  --quiet, -q               print nothing but errors
  --help, -h                this text
  --version, -V             wiregen's version
";

struct Args {
    command: String,
    positional: Vec<String>,
    out: Option<PathBuf>,
    options: CrateOptions,
    quiet: bool,
}

fn parse(raw: &[String]) -> Result<Args, String> {
    let mut args = Args {
        command: String::new(),
        positional: Vec::new(),
        out: None,
        options: CrateOptions::default(),
        quiet: false,
    };
    let mut iter = raw.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| iter.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--out" | "-o" => args.out = Some(PathBuf::from(value(flag)?)),
            "--crate-name" => args.options.crate_name = Some(value(flag)?),
            "--runtime-path" => args.options.runtime_path = Some(value(flag)?),
            "--runtime-version" => args.options.runtime_version = Some(value(flag)?),
            "--derive" => args.options.derives.push(value(flag)?),
            "--quiet" | "-q" => args.quiet = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option `{f}`")),
            _ if args.command.is_empty() => args.command = arg.clone(),
            _ => args.positional.push(arg.clone()),
        }
    }
    Ok(args)
}

/// The command line that regenerates, for the drift message.
fn fix_command(spec: &str, out: &std::path::Path, options: &CrateOptions) -> String {
    let mut command = format!("wiregen generate {spec} --out {}", out.display());
    for (flag, value) in [
        ("--crate-name", &options.crate_name),
        ("--runtime-path", &options.runtime_path),
        ("--runtime-version", &options.runtime_version),
    ] {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {value}"));
        }
    }
    for derive in &options.derives {
        command.push_str(&format!(" --derive {derive}"));
    }
    command
}

fn run(args: Args) -> anyhow::Result<()> {
    let quiet = args.quiet;
    let mut log = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    match args.command.as_str() {
        "generate" | "check" => {
            let [spec] = args.positional.as_slice() else {
                anyhow::bail!(
                    "{} takes one spec file or specs.toml\n\n{USAGE}",
                    args.command
                );
            };
            let Some(out) = &args.out else {
                anyhow::bail!("{} needs --out <dir>\n\n{USAGE}", args.command);
            };
            let input = Input::load(std::path::Path::new(spec))?;
            let settings = wiregen::settings_for(&input, &args.options)?;
            let mode = if args.command == "check" {
                Mode::Check
            } else {
                Mode::Write
            };
            let fix = fix_command(spec, out, &args.options);
            let changes = wiregen::generate(&input, &settings, out, mode, &fix, &mut log)?;
            if mode == Mode::Write && !quiet {
                for path in changes.stale.iter().chain(&changes.missing) {
                    println!("wrote {}", out.join(path).display());
                }
                for path in &changes.extra {
                    println!("removed {}", out.join(path).display());
                }
            }
            Ok(())
        }
        "new" => {
            let [dir] = args.positional.as_slice() else {
                anyhow::bail!("new takes one folder\n\n{USAGE}");
            };
            wiregen::new::new_workspace(std::path::Path::new(dir), &args.options, &mut log)
        }
        "" => anyhow::bail!("no command\n\n{USAGE}"),
        other => anyhow::bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    if raw.iter().any(|a| a == "--help" || a == "-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if raw.iter().any(|a| a == "--version" || a == "-V") {
        println!("wiregen {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let args = match parse(&raw) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
