//! Every `$ cwasm-spec …` example of README.md runs, and prints what the
//! README shows.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut examples = 0;
    let mut in_console = false;
    let mut current: Option<(String, Vec<String>)> = None;
    let mut finished = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            if let Some(done) = current.take() {
                finished.push(done);
            }
            in_console = line == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ cwasm-spec ") {
            if let Some(done) = current.take() {
                finished.push(done);
            }
            current = Some((command.to_string(), Vec::new()));
        } else if let Some((_, output)) = current.as_mut() {
            output.push(line.to_string());
        }
    }
    for (command, expected) in finished {
        let out = Command::new(env!("CARGO_BIN_EXE_cwasm-spec"))
            .args(command.split_whitespace())
            .current_dir(root)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout.trim_end().lines().collect::<Vec<_>>(),
            expected,
            "`cwasm-spec {command}`: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        examples += 1;
    }
    assert!(examples >= 8, "{examples}");
}
