package shequn

import (
	"errors"
	"fmt"
	"time"
)

// Error codes, mapped to HTTP statuses in one table in internal/httpapi.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	ETOOMANY      = "too_many_requests"
)

// Error is an application error with a machine-readable code and a message
// that is safe to show to the caller.
type Error struct {
	Code    string
	Message string
	// Index is the position of the offending item in a batch, or -1.
	Index int
	// RetryAfter tells an ETOOMANY caller when to try again.
	RetryAfter time.Duration
	// Format and Args are what Errorf was given, so that a console can
	// say the message in another language.
	Format string
	Args   []any
	// Field names the input at fault ("name", "steps.0.at"), when one is.
	Field string
}

func (e *Error) Error() string { return fmt.Sprintf("shequn: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Index: -1, Format: format, Args: args}
}

// Invalid is an EINVALID error about one field.
func Invalid(field, format string, args ...any) *Error {
	e := Errorf(EINVALID, format, args...)
	e.Field = field
	return e
}

// ErrorField returns the field an error names, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorFormat returns the format and arguments of the first *Error in
// err's chain ("" when it has none).
func ErrorFormat(err error) (string, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Format, e.Args
	}
	return "", nil
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the caller-safe message of err; internal errors get a
// generic text so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorIndex returns the batch index carried by err, or -1.
func ErrorIndex(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Index
	}
	return -1
}

// ErrorRetryAfter returns how long err asks the caller to wait, or 0.
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// OnField returns err as an EINVALID error about field (a lookup that
// failed for what was typed there), keeping its message and format.
// Errors that are not about what was typed (forbidden, internal) stay
// as they are.
func OnField(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) || (e.Code != EINVALID && e.Code != ENOTFOUND && e.Code != ECONFLICT) {
		return err
	}
	c := *e
	c.Code, c.Field = EINVALID, field
	return &c
}
