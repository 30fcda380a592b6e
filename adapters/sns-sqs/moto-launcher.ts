/**
 * The Python program that runs moto's server (its own `moto.server.main`, the `moto_server`
 * command) with two changes, each for a measured reason:
 *
 * - Werkzeug's line per request is off: at hundreds of requests a second that log is written by
 *   the interpreter (one GIL) that answers them.
 * - ReceiveMessage takes a queue's visible messages under a lock of that queue. moto 5.2.5's
 *   `SQSBackend.receive_message` checks that a message is visible and marks it received with no
 *   lock, and its server answers requests on threads, so two receives on one queue at once could
 *   both take one message: the contract suite's two-member test saw an event delivered twice to
 *   one group here (a race SQS itself does not have). Each receive scans once under the lock;
 *   a long poll waits outside it, as moto's own does, on the queue's condition.
 *
 * Arguments are moto_server's (`-H 127.0.0.1 -p PORT`).
 */
export const MOTO_LAUNCHER = `
import logging, sys, threading, time
from moto.server import main
from moto.sqs.models import SQSBackend

logging.getLogger("werkzeug").setLevel(logging.WARNING)

_receive_once = SQSBackend.receive_message
_queue_locks = {}
_queue_locks_guard = threading.Lock()

def _lock_of(backend, queue_name):
    with _queue_locks_guard:
        return _queue_locks.setdefault((id(backend), queue_name), threading.Lock())

def _receive_message(self, queue_name, count, wait_seconds_timeout, visibility_timeout, message_attribute_names=None):
    queue = self.get_queue(queue_name)
    deadline = time.monotonic() + (wait_seconds_timeout or 0)
    while True:
        with _lock_of(self, queue_name):
            received = _receive_once(self, queue_name, count, 0, visibility_timeout, message_attribute_names)
        remaining = deadline - time.monotonic()
        if received or remaining <= 0:
            return received
        queue.wait_for_messages(min(1, remaining))

SQSBackend.receive_message = _receive_message
sys.exit(main())
`;
