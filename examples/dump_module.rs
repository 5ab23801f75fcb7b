//! Prints the index of Erlang source files, to eyeball what the syntax
//! stage reads: `cargo run --example dump_module -- [--bodies] FILE...`.

use std::path::Path;

use otpmap::syntax::{index_module, read_source, MacroBody, MacroContext, MacroTable};

fn main() {
    let mut bodies = false;
    for arg in std::env::args().skip(1) {
        if arg == "--bodies" {
            bodies = true;
            continue;
        }
        let path = Path::new(&arg);
        let root = path.parent().unwrap_or(Path::new("."));
        let file = match read_source(root, path, 64 << 20) {
            Ok(f) => f,
            Err(d) => {
                println!("{}: {}", d.file, d.message);
                continue;
            }
        };
        let index = index_module(file);
        println!("== {} (module {:?})", index.file.path, index.name());
        for b in &index.behaviours {
            println!("behaviour {} [{}]", b.name, b.condition);
        }
        let exports: Vec<String> = index
            .exports
            .iter()
            .map(|e| format!("{}/{}", e.name, e.arity))
            .collect();
        println!(
            "exports{} [{}]",
            if index.export_all {
                " (export_all)"
            } else {
                ""
            },
            exports.join(", ")
        );
        for i in &index.includes {
            println!(
                "include{} {:?} [{}]",
                if i.lib { "_lib" } else { "" },
                i.path,
                i.condition
            );
        }
        let table = MacroTable::new(
            index.defines.iter().cloned(),
            MacroContext::for_module(&index),
        );
        for d in &index.defines {
            let body = match d.body() {
                MacroBody::Expr(e) => format!("{} => {}", e, table.expand(e)),
                MacroBody::Raw { text, reason } => format!("raw {text:?} ({reason})"),
            };
            println!(
                "define {}{:?} line {} [{}]: {}",
                d.name,
                d.params,
                d.span().line,
                d.condition(),
                body
            );
        }
        for r in &index.records {
            let fields: Vec<String> = r
                .fields()
                .iter()
                .map(|f| match &f.value {
                    Some(v) => format!("{} = {}", f.name, v),
                    None => f.name.clone(),
                })
                .collect();
            println!("record {} {{{}}}", r.name, fields.join(", "));
        }
        for f in &index.functions {
            println!(
                "function {}/{} line {} [{}]",
                f.name(),
                f.arity,
                f.span().line,
                f.condition()
            );
            if bodies {
                for c in &f.function().clauses {
                    let pats: Vec<String> = c.patterns.iter().map(ToString::to_string).collect();
                    let body: Vec<String> = c.body.iter().map(ToString::to_string).collect();
                    println!("    ({}) -> {}", pats.join(", "), body.join(", "));
                }
                for d in f.diagnostics() {
                    println!("    ! {}:{}: {}", d.line, d.column.unwrap_or(0), d.message);
                }
            }
        }
        for d in &index.diagnostics {
            println!(
                "diagnostic {} {}:{}: {}",
                d.code,
                d.line,
                d.column.unwrap_or(0),
                d.message
            );
        }
    }
}
