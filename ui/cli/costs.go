package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

// runCosts reports a month's cost records: the operator's own, every
// operator's for the admin (the local account).
func runCosts(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "costs", &c, true)
	monthFlag := fs.String("month", "", "the month, YYYY-MM (default: this month, UTC)")
	by := fs.String("by", "day", "group by day, user, gpu or model")
	asCSV := fs.Bool("csv", false, "print the rows as CSV (key,compute,storage,total,gpu_hours,jobs) with the total last")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	month := model.MonthOf(time.Now())
	if *monthFlag != "" {
		m, err := model.ParseMonth(*monthFlag)
		if err != nil {
			return usagef("costs: --month: %v", err)
		}
		month = m
	}
	if err := model.CheckCostGrouping(*by); err != nil {
		return usagef("costs: --by: %v", err)
	}
	if *asCSV && c.json {
		return usagef("costs: --csv and --json are two outputs: give one")
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		r, err := s.Costs(ctx, month, *by)
		if err != nil {
			return err
		}
		switch {
		case c.json:
			return printJSON(env.Stdout, r)
		case *asCSV:
			return writeCostsCSV(env.Stdout, r)
		}
		printCosts(env.Stdout, r)
		return nil
	})
}

// writeCostsCSV is the report's rows, then the total, as CSV.
func writeCostsCSV(w io.Writer, r model.CostReport) error {
	cw := csv.NewWriter(w)
	money := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	_ = cw.Write([]string{r.By, "compute", "storage", "total", "gpu_hours", "jobs"})
	for _, row := range append(r.Rows, r.Total) {
		_ = cw.Write([]string{row.Key, money(row.Compute), money(row.Storage), money(row.Total),
			strconv.FormatFloat(row.GPUHours, 'f', 4, 64), strconv.Itoa(row.Jobs)})
	}
	cw.Flush()
	return cw.Error()
}

// printCosts is the report as a table, with the costliest jobs under it.
func printCosts(w io.Writer, r model.CostReport) {
	whose := "yours"
	if r.AllUsers {
		whose = "every operator"
	}
	fmt.Fprintf(w, "costs of %s by %s · %s\n", r.Month, r.By, whose)
	if len(r.Rows) == 0 {
		fmt.Fprintln(w, "no costs recorded this month")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tcompute\tstorage\ttotal\tGPU hours\tjobs\t\n", strings.ToUpper(r.By))
	for _, row := range append(r.Rows, r.Total) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%d\t\n", termtext.Line(row.Key), format.Money(row.Compute),
			format.Money(row.Storage), format.Money(row.Total), row.GPUHours, row.Jobs)
	}
	tw.Flush()
	fmt.Fprintln(w, "\ncostliest jobs")
	for _, j := range r.TopJobs {
		fmt.Fprintf(w, "  %10s  %s  %s  %s\n", format.Money(j.Total), j.JobID, termtext.Line(j.User), termtext.Line(j.Name))
	}
}
