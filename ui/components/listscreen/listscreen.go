// Package listscreen is what every list tab shares: where the cursor is
// among the rows of a list of any length and how the house's list keys
// move it (Nav), the typed `/` filter (Filter), the selection kept across
// pages and queries (Selection), and what a list shows while it has no
// rows: loading, a failed load, an empty state (Placeholder).
//
// The rows themselves stay with each screen: Conversations windows a query
// of 100,000 rows, Jobs reads one page at a time, the others hold a short
// list; Nav works in absolute rows, so it serves all of them.
package listscreen
