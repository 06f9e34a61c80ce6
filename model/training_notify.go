package model

import (
	"fmt"
	"strings"
)

// The notifications a running job writes, one per lifecycle step that an
// operator wants to hear about. Each points at the job.

func jobAction(j Job) NotificationAction {
	return NotificationAction{Kind: "job", ID: j.ID.String(), Label: "View job"}
}

// trainerLabel says which trainer ran, naming the simulated one plainly so
// nobody mistakes its adapter for a trained one.
func trainerLabel(trainer string) string {
	if trainer == TrainerSimulated || trainer == "" {
		return "the simulated trainer"
	}
	return "the " + trainer + " trainer"
}

// JobStartedNotification is written when a worker starts a job.
func JobStartedNotification(j Job) Notification {
	return Notification{
		UserID: j.UserID, Type: NotificationJobStarted, Title: "Training Started", Priority: PriorityLow,
		Message: fmt.Sprintf("Training job %q started on %d × %s with %s", j.Name, j.GPUConfig.Count, j.GPUConfig.Type, trainerLabel(j.Trainer)),
		Action:  jobAction(j),
	}
}

// JobResumedNotification is written when a worker picks up a job resumed
// after its checkpoint at step: the run goes on rather than starts.
func JobResumedNotification(j Job, step int) Notification {
	n := JobStartedNotification(j)
	n.Title = "Training Resumed"
	n.Message = fmt.Sprintf("Training job %q resumed after its checkpoint at step %d, on %d × %s with %s",
		j.Name, step, j.GPUConfig.Count, j.GPUConfig.Type, trainerLabel(j.Trainer))
	return n
}

// JobCompletedNotification is written when the adapter is stored.
func JobCompletedNotification(j Job, cost CostRecord, finalLoss *float64) Notification {
	loss := ""
	if finalLoss != nil {
		loss = fmt.Sprintf(", final loss %.3f", *finalLoss)
	}
	simulated := ""
	if j.Trainer == TrainerSimulated {
		simulated = " (simulated)"
	}
	return Notification{
		UserID: j.UserID, Type: NotificationJobCompleted, Title: "Training Completed", Priority: PriorityMedium,
		Message: fmt.Sprintf("Training job %q completed in %.2f GPU hours%s; cost $%.2f. The adapter%s is ready to download",
			j.Name, cost.Hours, loss, cost.TotalCost, simulated),
		Action: jobAction(j),
	}
}

// JobFailedNotification is written when a job fails; the reason's first
// line goes into the message.
func JobFailedNotification(j Job, reason string, cost CostRecord) Notification {
	first, _, _ := strings.Cut(reason, "\n")
	return Notification{
		UserID: j.UserID, Type: NotificationJobFailed, Title: "Training Failed", Priority: PriorityHigh,
		Message: fmt.Sprintf("Training job %q failed: %s (cost so far $%.2f)", j.Name, first, cost.TotalCost),
		Action:  jobAction(j),
	}
}

// JobCancelledNotification is written when a cancelled job has stopped.
func JobCancelledNotification(j Job, cost CostRecord) Notification {
	return Notification{
		UserID: j.UserID, Type: NotificationJobCancelled, Title: "Training Cancelled", Priority: PriorityMedium,
		Message: fmt.Sprintf("Training job %q was cancelled at step %d of %d; cost so far $%.2f",
			j.Name, j.CurrentStep, j.TotalSteps, cost.TotalCost),
		Action: jobAction(j),
	}
}
