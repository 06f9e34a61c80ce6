package worker_test

import (
	"testing"

	"brightrun/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
