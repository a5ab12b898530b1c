package values

import "strconv"

// Status codes of the PSA Certified Status code API and the Crypto API.
// Success is not an error: functions return a nil error on success.
const (
	Success                 Status = 0
	ErrGenericError         Status = -132
	ErrNotPermitted         Status = -133
	ErrNotSupported         Status = -134
	ErrInvalidArgument      Status = -135
	ErrInvalidHandle        Status = -136
	ErrBadState             Status = -137
	ErrBufferTooSmall       Status = -138
	ErrAlreadyExists        Status = -139
	ErrDoesNotExist         Status = -140
	ErrInsufficientMemory   Status = -141
	ErrInsufficientStorage  Status = -142
	ErrInsufficientData     Status = -143
	ErrServiceFailure       Status = -144
	ErrCommunicationFailure Status = -145
	ErrStorageFailure       Status = -146
	ErrHardwareFailure      Status = -147
	ErrInsufficientEntropy  Status = -148
	ErrInvalidSignature     Status = -149
	ErrInvalidPadding       Status = -150
	ErrCorruptionDetected   Status = -151
	ErrDataCorrupt          Status = -152
	ErrDataInvalid          Status = -153
)

var statusNames = map[Status]string{
	Success:                 "PSA_SUCCESS",
	ErrGenericError:         "PSA_ERROR_GENERIC_ERROR",
	ErrNotPermitted:         "PSA_ERROR_NOT_PERMITTED",
	ErrNotSupported:         "PSA_ERROR_NOT_SUPPORTED",
	ErrInvalidArgument:      "PSA_ERROR_INVALID_ARGUMENT",
	ErrInvalidHandle:        "PSA_ERROR_INVALID_HANDLE",
	ErrBadState:             "PSA_ERROR_BAD_STATE",
	ErrBufferTooSmall:       "PSA_ERROR_BUFFER_TOO_SMALL",
	ErrAlreadyExists:        "PSA_ERROR_ALREADY_EXISTS",
	ErrDoesNotExist:         "PSA_ERROR_DOES_NOT_EXIST",
	ErrInsufficientMemory:   "PSA_ERROR_INSUFFICIENT_MEMORY",
	ErrInsufficientStorage:  "PSA_ERROR_INSUFFICIENT_STORAGE",
	ErrInsufficientData:     "PSA_ERROR_INSUFFICIENT_DATA",
	ErrServiceFailure:       "PSA_ERROR_SERVICE_FAILURE",
	ErrCommunicationFailure: "PSA_ERROR_COMMUNICATION_FAILURE",
	ErrStorageFailure:       "PSA_ERROR_STORAGE_FAILURE",
	ErrHardwareFailure:      "PSA_ERROR_HARDWARE_FAILURE",
	ErrInsufficientEntropy:  "PSA_ERROR_INSUFFICIENT_ENTROPY",
	ErrInvalidSignature:     "PSA_ERROR_INVALID_SIGNATURE",
	ErrInvalidPadding:       "PSA_ERROR_INVALID_PADDING",
	ErrCorruptionDetected:   "PSA_ERROR_CORRUPTION_DETECTED",
	ErrDataCorrupt:          "PSA_ERROR_DATA_CORRUPT",
	ErrDataInvalid:          "PSA_ERROR_DATA_INVALID",
}

// String returns the PSA name of s, such as "PSA_ERROR_NOT_SUPPORTED",
// or "psa_status_t(-1)" for a code the specification does not define.
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "psa_status_t(" + strconv.Itoa(int(s)) + ")"
}

// Error returns the PSA name of s, so that a wrapped error reads
// "import key: 31 bytes is not a valid AES key: PSA_ERROR_INVALID_ARGUMENT".
func (s Status) Error() string { return s.String() }
