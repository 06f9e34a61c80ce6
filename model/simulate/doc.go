// Package simulate plays a training run without a GPU: the simulated
// trainer's timeline, its loss and metric curves and the labelled stand-in
// adapter it writes, all pure functions of the job so a rescued job resumes
// on the same curve.
//
// It is pure, like model, whose types it reads: no I/O, and of Brightrun's
// packages it imports model only.
package simulate
