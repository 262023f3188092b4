package io.sluice.ingest.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into {@code {code, message}}: clients never see a bare 500 page or a 405. */
@RestControllerAdvice
public class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return answer(e.status(), e.code(), e.getMessage(), e);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof ApiException api) {
            return api(api);
        }
        return answer(HttpStatus.BAD_REQUEST, "VALIDATION_ERROR", "Request body is not valid JSON of the expected shape", e);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ApiError> badParameter(Exception e) {
        return answer(HttpStatus.BAD_REQUEST, "VALIDATION_ERROR", e.getMessage(), e);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(HttpStatus.BAD_REQUEST, "VALIDATION_ERROR", "Send JSON with Content-Type: application/json", e);
    }

    /** Existing clients treat 405 as a server fault; a route that does not exist is a 404. */
    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class})
    ResponseEntity<ApiError> noRoute(Exception e) {
        return answer(HttpStatus.NOT_FOUND, "NOT_FOUND", "No such route", e);
    }

    /** A stream's client went away while it was written to: there is nobody left to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e) {
        log.debug("Client gone: {}", e.getMessage());
    }

    /**
     * A change that kept meeting concurrent ones on the same rows (the stores retry a deadlock's
     * victim a few times first): nothing of it was written, and trying again is the remedy.
     */
    @ExceptionHandler(PessimisticLockingFailureException.class)
    ResponseEntity<ApiError> lockConflict(PessimisticLockingFailureException e) {
        log.warn("A request met concurrent changes and was rolled back: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_JSON).body(new ApiError("SERVICE_UNAVAILABLE",
                        "The change met concurrent changes of the same jobs and was not made; retry it", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("Unexpected error answering a request", e);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error", e);
    }

    private static ResponseEntity<ApiError> answer(HttpStatus status, String code, String message, Exception e) {
        if (status.is4xxClientError()) {
            log.debug("{} {}: {}", status.value(), code, e.getMessage());
        }
        ApiError body = new ApiError(code, message, e instanceof ApiException api ? api.details() : null);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
