//! The postmortems by year as one self-contained HTML page to share: no
//! scripts, no files beside it, readable in light and dark.

use super::html;
use crate::notebook::item::one_line;
use crate::notebook::links::plain_text;
use crate::notebook::nesting::{Nesting, PostmortemTree};
use crate::notebook::{Bucket, LinkId, LinkKind, LinkRef, NodeKind, Notebook};

/// What a link's own item says after it, up to the next link of the item:
/// `[Name](url). What happened.`, `- [Title](url) - description`; a note
/// that is a link, what its summary says.
fn about(l: &LinkRef<'_>) -> String {
    let node = l.link.node();
    let doc = l.doc;
    if doc.node(node).kind() == NodeKind::FrontMatter {
        return l.context();
    }
    let content = doc.node(node).content_span(&doc.source).range();
    let start = (l.link.offset as usize).clamp(content.start, content.end);
    let end = doc
        .links
        .get(l.index + 1)
        .filter(|next| next.node() == node)
        .map_or(content.end, |next| next.offset as usize)
        .clamp(start, content.end);
    let Some(raw) = doc.source.get(start..end) else {
        return String::new();
    };
    let words = one_line(&plain_text(raw));
    let title = l.title();
    let said = words
        .strip_prefix(title.as_ref())
        .unwrap_or(&words)
        .trim_start_matches(|c: char| c.is_whitespace() || "-:.,;|/&–—".contains(c))
        .trim_end();
    // What only joins two links (`[A](a) and [B](b)`) says nothing.
    if matches!(said.to_lowercase().as_str(), "and" | "or" | "also" | "see") {
        return String::new();
    }
    said.to_string()
}

/// Writes the row of link `id` (a web link) at `depth`, with its nested
/// web links as a list inside it; counts each row in `listed`.
fn row(
    notebook: &Notebook,
    nesting: &Nesting,
    id: LinkId,
    depth: usize,
    listed: &mut usize,
    out: &mut String,
) {
    let Some(l) = notebook.link(id) else { return };
    let indent = "  ".repeat(depth);
    let title = l.title();
    let link = if l.kind() == LinkKind::Web {
        format!("<a href=\"{}\">{}</a>", html(l.url()), html(&title))
    } else {
        html(&title)
    };
    // The words of nested links with nothing to open join their parent's.
    let mut said = vec![about(&l)];
    let mut nested = Vec::new();
    for child in nesting.children(id) {
        match notebook.link(child) {
            Some(c) if c.kind() == LinkKind::Web => nested.push(child),
            Some(c) => said.push(c.own_text()),
            None => {}
        }
    }
    let said: Vec<String> = said.into_iter().filter(|s| !s.is_empty()).collect();
    *listed += 1;
    out.push_str(&format!("{indent}<li>{link}"));
    if !said.is_empty() {
        out.push_str(&format!(" <span>{}</span>", html(&said.join(" · "))));
    }
    if nested.is_empty() {
        out.push_str("</li>\n");
        return;
    }
    out.push_str(&format!("\n{indent}  <ul>\n"));
    for child in nested {
        row(notebook, nesting, child, depth + 2, listed, out);
    }
    out.push_str(&format!("{indent}  </ul>\n{indent}</li>\n"));
}

/// The page, newest year first and General last, each link with what its
/// item says about it, and the links nested under it (follow-ups, details)
/// as a list inside its row, as the Postmortems view nests them. A nested
/// link that is not a web link (a relative one, a placeholder) has nothing
/// to open: its words are part of its parent's row.
pub fn postmortems(notebook: &Notebook, title: &str) -> String {
    let tree = PostmortemTree::new(notebook);
    let mut years: Vec<(Option<u16>, usize, String)> = Vec::new();
    for (bucket, roots) in &tree.buckets {
        let year = match bucket {
            Bucket::Year(y) => Some(*y),
            _ => None,
        };
        let mut listed = 0;
        let mut items = String::new();
        for &id in roots {
            row(notebook, &tree.nesting, id, 0, &mut listed, &mut items);
        }
        if listed > 0 {
            years.push((year, listed, items));
        }
    }
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{0}</title>\n<style>\n\
         :root {{ color-scheme: light dark; font-family: system-ui, sans-serif; }}\n\
         body {{ max-width: 50rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}\n\
         li {{ margin: 0.3rem 0; }} li span {{ opacity: 0.75; }}\n\
         </style>\n</head>\n<body>\n<h1>{0}</h1>\n",
        html(title)
    );
    for (year, listed, items) in years {
        let name = year.map_or("General".to_string(), |y| y.to_string());
        out.push_str(&format!(
            "<h2 id=\"{}\">{name} <small>({listed})</small></h2>\n<ul>\n{items}</ul>\n",
            name.to_lowercase(),
        ));
    }
    out.push_str("</body>\n</html>\n");
    out
}
