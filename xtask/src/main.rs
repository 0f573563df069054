//! `cargo xtask`: project automation as a plain binary (see README.md).

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen            regenerate generated/ from specs/specs.toml
  regen --check    fail if generated/ differs from what regen would write
  check            same as `regen --check`
  corpus [<set-root>] [--kind openapi|wsdl] [--out FILE.tsv]
                   generate and `cargo check` every spec of a set (default
                   ../shared/corpus), write the TSV and docs/corpus-<kind>.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::project_root();
    let result = match args.as_slice() {
        ["regen"] => xtask::regen(&root, xtask::Mode::Write),
        ["regen", "--check"] | ["check"] => xtask::regen(&root, xtask::Mode::Check),
        ["corpus", rest @ ..] => xtask::corpus::main(&root, rest),
        [xtask::corpus::CHILD_COMMAND, rest @ ..] => xtask::corpus::generate_one(rest),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
