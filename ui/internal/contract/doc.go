// Package contract holds the contract tests of the TUI's fake backend
// (ui/internal/uitest): the same calls made to the fake and to a real
// engine.Session over real Postgres and S3 (store/storetest) must give the
// same answers, so the screens' tests on the fake say something true of
// the engine. It has no code of its own.
package contract
