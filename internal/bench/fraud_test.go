package bench

import (
	"context"
	"io"
	"testing"
)

// The fraud benchmark at a small size: the ledger's signals catch the
// farms' sock puppets (precision ≥ 0.9, recall ≥ 0.8) for three seeds.
func TestFraud(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		r, err := Fraud(context.Background(), FraudConfig{Inviters: 150, Fraud: 0.2, Seed: seed}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if r.Precision < 0.9 || r.Recall < 0.8 || r.Fraudulent == 0 {
			t.Errorf("seed %d: %+v", seed, r)
		}
	}
}
