package dev.cortado.lightclient.submit;

/** The node refused a whole request (a 4xx or 5xx answer), with the API's error code and detail. */
public final class SubmitRefusedException extends Exception {
    private final int status;
    private final String error;

    public SubmitRefusedException(int status, String error, String detail) {
        super(status + " " + error + ": " + detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
