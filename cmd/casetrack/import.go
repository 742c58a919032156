package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/casetrack/casetrack/tracking/csvimport"
)

// parseImportArgs reads "import KIND FILE" with its flags before, between
// or after the two, as people type them ("import patients pas.csv
// --dry-run").
func parseImportArgs(fs *flag.FlagSet, args []string, c *Config) error {
	fs.BoolVar(&c.DryRun, "dry-run", false, "check the file and report, writing nothing")
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		words, args = append(words, fs.Arg(0)), fs.Args()[1:]
	}
	if len(words) != 2 {
		return usageError("import needs what to import (locations, patients or volumes) and the file")
	}
	kind, err := csvimport.ParseKind(words[0])
	if err != nil {
		return usageError(fmt.Sprintf("import %s: choose locations, patients or volumes", words[0]))
	}
	c.ImportKind, c.ImportFile = string(kind), words[1]
	return nil
}

// runImport imports one file: the report as JSON on standard output,
// progress on standard error. Some lines refused is an error, so the
// command exits 1; the report says which and why.
func (m *Main) runImport(ctx context.Context) error {
	f, err := os.Open(m.Config.ImportFile)
	if err != nil {
		return err
	}
	defer f.Close()
	if m.Getenv("GOGC") == "" {
		// What an import keeps (its file's keys) is large and long-lived;
		// serve's GOGC=200 would let the heap grow to three times it.
		debug.SetGCPercent(100)
	}
	kind := csvimport.Kind(m.Config.ImportKind)
	im := m.Service.NewImport(commandLine, m.Config.DryRun)
	bar := newProgressBar(m.Stderr, string(kind))
	rep, err := csvimport.Import(ctx, im, kind, f, csvimport.Options{}, bar.show)
	bar.done(err)
	if err != nil {
		return err
	}
	if err := im.Finish(ctx, rep.Summary(kind)); err != nil {
		return err
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	if n := rep.Refused(); n > 0 {
		return fmt.Errorf("%d lines were refused: the report above says which and why", n)
	}
	return nil
}
