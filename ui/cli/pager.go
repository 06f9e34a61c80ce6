package cli

import "fmt"

// MaxPage bounds --page so the row offset, (page-1) × limit, stays far
// inside every integer it passes through (the largest limit is 1000).
const MaxPage = 1_000_000

// pager is the --page/--limit pair every list command takes, checked the
// same way everywhere.
type pager struct {
	page, limit *int
	max         int
	cmd, unit   string
}

// addPager adds --page and --limit (default def, at most max) to fs.
func addPager(fs *flagSet, unit string, def, max int) pager {
	return pager{
		page:  fs.Int("page", 1, "page number, from 1"),
		limit: fs.Int("limit", def, fmt.Sprintf("%s per page (1-%d)", unit, max)),
		max:   max, cmd: fs.Name(), unit: unit,
	}
}

// check refuses a page below 1 or a limit out of range: a usage error.
func (p pager) check() (page, limit int, err error) {
	if *p.page < 1 {
		return 0, 0, usagef("%s: --page %d must be at least 1", p.cmd, *p.page)
	}
	if *p.page > MaxPage {
		return 0, 0, usagef("%s: --page %d is out of range: must be between 1 and %d", p.cmd, *p.page, MaxPage)
	}
	if *p.limit < 1 || *p.limit > p.max {
		return 0, 0, usagef("%s: --limit %d is out of range: must be between 1 and %d", p.cmd, *p.limit, p.max)
	}
	return *p.page, *p.limit, nil
}

// parseList parses a list command's arguments: flags only, and the page
// and limit checked.
func (p pager) parseList(fs *flagSet, args []string) (page, limit int, err error) {
	pos, err := parse(fs, args)
	if err != nil {
		return 0, 0, err
	}
	if err := noArgs(fs, pos); err != nil {
		return 0, 0, err
	}
	return p.check()
}
