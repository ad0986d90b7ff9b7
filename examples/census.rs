//! Counts what a notebook holds, for memory accounting. `cargo run --release --example census -- DIR`

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "data".into());
    let nb = opsbook::storage::load(std::path::Path::new(&dir))
        .expect("loads")
        .notebook;
    let nodes: usize = nb.documents.iter().map(|d| d.nodes.len()).sum();
    let links = nb.link_count();
    let sections: usize = nb.documents.iter().map(|d| d.sections.len()).sum();
    let section_bytes: usize = nb
        .documents
        .iter()
        .flat_map(|d| d.sections.iter())
        .map(|s| s.title.len() + std::mem::size_of_val(s))
        .sum();
    let arena: usize = nb.documents.iter().map(|d| d.arena.len()).sum();
    let line_index: usize = nb.documents.iter().map(|d| d.line_index.len() * 4).sum();
    let heap_small: usize = nb
        .documents
        .iter()
        .map(|d| {
            d.path.as_os_str().len()
                + d.title.len()
                + d.tags.iter().map(|t| t.capacity() + 24).sum::<usize>()
                + d.sessions.len() * std::mem::size_of::<opsbook::notebook::Session>()
                + d.inferred_years.len() * 8
                + d.warnings.len() * 24
        })
        .sum();
    let source_cap: usize = nb.documents.iter().map(|d| d.source.capacity()).sum();
    println!(
        "documents {} x {} B; line index {line_index} B; source capacity {source_cap} B; other per-document heap {heap_small} B",
        nb.documents.len(),
        std::mem::size_of::<opsbook::notebook::Document>()
    );
    println!(
        "source {} B; nodes {nodes} x {} B; links {links} x {} B; sections {sections} = {section_bytes} B; arena {arena} B",
        nb.source_bytes(),
        std::mem::size_of::<opsbook::notebook::Node>(),
        std::mem::size_of::<opsbook::notebook::Link>(),
    );
}
