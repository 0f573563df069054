"""A small spyne SOAP service for tests/tests/soap_spyne.rs.

Every operation echoes or computes from what it received, so the Rust test
can check both directions of the wire. Served over SOAP 1.1 at /soap11 and
SOAP 1.2 at /soap12 (each with its own ?wsdl), on 127.0.0.1:<port>.

    python3 tests/spyne/service.py <port>

Needs spyne (pinned in .ci/run) and lxml.
"""

import logging
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from spyne import (
    Application,
    Array,
    Boolean,
    ByteArray,
    ComplexModel,
    Date,
    DateTime,
    Decimal,
    Duration,
    Enum,
    Fault,
    Integer,
    Integer16,
    Integer32,
    Integer64,
    Unicode,
    UnsignedInteger64,
    Service,
    Time,
    rpc,
)
from spyne.protocol.soap import Soap11, Soap12
from spyne.server.wsgi import WsgiApplication

TNS = "urn:wiregen:spyne"
ZOO = "urn:wiregen:spyne:zoo"

# spyne 2.14 checks the length of a signed integer's text against the
# digits of its type's range without the sign, so it refuses i32::MIN and
# i16::MIN; these allow the sign (the schema type stays xs:int / xs:short).
Int32 = Integer32(max_str_len=11)
Int16 = Integer16(max_str_len=6)

# What void and one-way operations leave behind, read back by `journal`.
JOURNAL = []


class Scalars(ComplexModel):
    __namespace__ = TNS
    int_value = Int32
    long_value = Integer64
    short_value = Int16
    ulong_value = UnsignedInteger64
    big = Integer
    amount = Decimal
    at = DateTime
    day = Date
    clock = Time
    flag = Boolean
    blob = ByteArray
    span = Duration


class ScalarsEcho(ComplexModel):
    __namespace__ = TNS
    value = Scalars
    # Python's view of each received value, one "name=repr" per entry.
    seen = Array(Unicode)


class TextEcho(ComplexModel):
    __namespace__ = TNS
    text = Unicode
    codepoints = Array(Integer32)


Color = Enum("red", "green", "blue", type_name="Color")


class Address(ComplexModel):
    __namespace__ = TNS
    street = Unicode(min_occurs=1)
    city = Unicode(min_occurs=1)
    zip = Unicode(min_occurs=0)


class Line(ComplexModel):
    __namespace__ = TNS
    sku = Unicode(min_occurs=1)
    quantity = Integer32(min_occurs=1)
    price = Decimal(min_occurs=1)


class Order(ComplexModel):
    __namespace__ = TNS
    id = Integer64(min_occurs=1)
    customer = Unicode(min_occurs=1)
    address = Address.customize(min_occurs=0)
    lines = Array(Line)
    note = Unicode(min_occurs=0)
    color = Color


class OrderSummary(ComplexModel):
    __namespace__ = TNS
    id = Integer64
    line_count = Integer32
    total = Decimal
    has_address = Boolean
    has_note = Boolean
    city = Unicode
    color = Color


class Animal(ComplexModel):
    __namespace__ = TNS
    name = Unicode


class Dog(Animal):
    __namespace__ = ZOO
    breed = Unicode


class Puppy(Dog):
    __namespace__ = ZOO
    age_months = Integer32


class Payment(ComplexModel):
    __namespace__ = TNS
    amount = Decimal(min_occurs=1)
    card = Unicode(xml_choice_group="method")
    iban = Unicode(xml_choice_group="method")


class RequestContext(ComplexModel):
    __namespace__ = TNS
    user = Unicode
    trace = Unicode


class InvalidInput(Fault):
    __namespace__ = TNS
    __type_name__ = "InvalidInput"
    field = Unicode
    reason = Unicode

    def __init__(self, field=None, reason=None):
        # The declared detail, as spyne writes a dict: <detail><InvalidInput>
        # with children in no namespace (the fields above are also written,
        # as extra children of Fault).
        super().__init__(
            "Client.InvalidInput",
            "invalid input: %s" % field,
            detail={"InvalidInput": {"field": field, "reason": reason}},
        )
        self.field = field
        self.reason = reason


def seen(value):
    return ["%s=%r" % (name, getattr(value, name)) for name in Scalars._type_info]


class SpyneService(Service):
    @rpc(Scalars, _returns=ScalarsEcho)
    def echo_scalars(ctx, value):
        return ScalarsEcho(value=value, seen=seen(value))

    @rpc(Unicode, _returns=TextEcho)
    def echo_text(ctx, text):
        return TextEcho(text=text, codepoints=[ord(c) for c in text or ""])

    @rpc(Array(Integer64), _returns=Integer64)
    def sum_longs(ctx, values):
        return sum(values or [])

    @rpc(Order, _returns=OrderSummary)
    def summarize(ctx, order):
        lines = order.lines or []
        return OrderSummary(
            id=order.id,
            line_count=len(lines),
            total=sum((line.price * line.quantity for line in lines), 0),
            has_address=order.address is not None,
            has_note=order.note is not None,
            city=order.address.city if order.address is not None else None,
            color=order.color,
        )

    @rpc(Order, _returns=Order)
    def echo_order(ctx, order):
        return order

    @rpc(Color, _returns=Color)
    def next_color(ctx, color):
        order = ["red", "green", "blue"]
        return order[(order.index(str(color)) + 1) % 3]

    @rpc(Animal, _returns=Unicode)
    def describe(ctx, animal):
        fields = ["%s=%r" % (k, getattr(animal, k, None)) for k in sorted(type(animal)._type_info)]
        return "%s(%s)" % (type(animal).__name__, ", ".join(fields))

    @rpc(Unicode, _returns=Animal)
    def adopt(ctx, kind):
        if kind == "puppy":
            return Puppy(name="Rex", breed="beagle", age_months=3)
        if kind == "dog":
            return Dog(name="Fido", breed="collie")
        return Animal(name="Generic")

    @rpc(Payment, _returns=Unicode)
    def pay(ctx, payment):
        if payment.card is not None:
            return "card:%s:%s" % (payment.card, payment.amount)
        if payment.iban is not None:
            return "iban:%s:%s" % (payment.iban, payment.amount)
        return "none:%s" % payment.amount

    @rpc(Unicode, _returns=Payment)
    def refund(ctx, method):
        if method == "card":
            return Payment(amount="1.50", card="4111")
        return Payment(amount="2.25", iban="DE89")

    @rpc(Unicode, _returns=Unicode, _throws=[InvalidInput])
    def validate(ctx, value):
        if value != "ok":
            raise InvalidInput(field="value", reason="expected ok, got %r" % value)
        return "valid"

    @rpc(_returns=Unicode, _in_header=(RequestContext,))
    def whoami(ctx):
        header = ctx.in_header
        if header is None:
            return "anonymous"
        return "%s/%s" % (header.user, header.trace)

    @rpc(Unicode)
    def record(ctx, entry):
        JOURNAL.append("void:%s" % entry)

    @rpc(Unicode, _is_async=True)
    def notify(ctx, entry):
        JOURNAL.append("oneway:%s" % entry)

    @rpc(_returns=Array(Unicode))
    def journal(ctx):
        return list(JOURNAL)


def application(protocol):
    return Application(
        [SpyneService],
        tns=TNS,
        name="SpyneService",
        # Not reachable from any signature: listed so the WSDL declares them
        # and `adopt` can return them with xsi:type.
        classes=[Dog, Puppy],
        in_protocol=protocol(validator="lxml"),
        out_protocol=protocol(polymorphic=True),
    )


SOAP11 = WsgiApplication(application(Soap11))
SOAP12 = WsgiApplication(application(Soap12))


def dispatch(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path.startswith("/soap12"):
        return SOAP12(environ, start_response)
    if path.startswith("/soap11"):
        return SOAP11(environ, start_response)
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"try /soap11 or /soap12\n"]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main():
    # Faults are expected: keep spyne's tracebacks out of the test output.
    logging.disable(logging.ERROR)
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    server = make_server("127.0.0.1", port, dispatch, handler_class=QuietHandler)
    server.serve_forever()


if __name__ == "__main__":
    main()
