"""A small FastAPI application: the real server of `tests/tests/openapi_fastapi.rs`.

Its own OpenAPI 3.1 document (written by FastAPI and Pydantic v2) is vendored as
`tests/fixtures/openapi/fastapi_app.json` by `dump_openapi.py`; `tests/build.rs`
generates the `fastapi_app` client from it, and the Rust test starts this app
with uvicorn and calls every endpoint over the wire. Every endpoint echoes what
it received (for models, Pydantic's `model_fields_set` and the raw JSON body),
so the test checks what the server saw, not what the client meant to send.

Needs the versions pinned in `.ci/run`:
    python3 -m pip install fastapi==0.163.2 pydantic==2.13.4 uvicorn==0.54.0 python-multipart==0.0.34
Run by hand:
    python3 -m uvicorn app:app --app-dir tests/fastapi --host 127.0.0.1 --port 8000
"""

from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal, Optional, Union
from uuid import UUID

from fastapi import Cookie, FastAPI, Form, Header, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import AwareDatetime, BaseModel, Field

app = FastAPI(title="wiregen FastAPI test app", version="1.0.0")

# A UUID the app knows: GET /items/{KNOWN} answers 200, any other id 404.
KNOWN = UUID("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Tag(BaseModel):
    name: str
    weight: Optional[int] = None


class Dimensions(BaseModel):
    width: float = Field(gt=0)
    height: float = Field(gt=0)


class Item(BaseModel):
    name: str
    price: float = Field(gt=0)
    color: Color
    made_at: AwareDatetime
    sku: UUID
    description: Optional[str] = None
    best_before: Optional[date] = None
    dimensions: Optional[Dimensions] = None
    tags: list[Tag] = []
    # An enum with a `null` member.
    priority: Literal["low", "high", None] = None


class Received(BaseModel):
    """What the server got: the fields Pydantic saw set, and the raw JSON."""

    fields_set: list[str]
    raw: dict[str, Any]


class ItemEcho(BaseModel):
    item: Item
    received: Received
    # Computed by the server from the parsed value, so the offset is checked
    # where it arrived.
    made_at_utc_offset_minutes: int


class ItemPatch(BaseModel):
    name: Optional[str] = None
    price: Optional[float] = Field(default=None, gt=0)
    color: Optional[Color] = None
    description: Optional[str] = None
    dimensions: Optional[Dimensions] = None


class PatchEcho(BaseModel):
    item_id: UUID
    received: Received


class NotFound(BaseModel):
    message: str
    item_id: UUID


class SearchEcho(BaseModel):
    q: str
    tags: list[str]
    limit: int
    color: Optional[Color]
    since: Optional[date]
    after: Optional[AwareDatetime]
    after_utc_offset_minutes: Optional[int]


class DayEcho(BaseModel):
    day: date
    weekday: int
    at: AwareDatetime
    at_utc_offset_minutes: int


class ColorEcho(BaseModel):
    color: Color
    hex: str


class HeadersEcho(BaseModel):
    x_request_id: UUID
    x_mode: Optional[str]
    session: str
    theme: Optional[str]


class LoginEcho(BaseModel):
    content_type: str
    username: str
    password: str
    remember: bool


class FileEcho(BaseModel):
    filename: Optional[str]
    content_type: Optional[str]
    size: int
    content_hex: str


class UploadEcho(BaseModel):
    content_type: str
    description: str
    file: FileEcho


class UploadManyEcho(BaseModel):
    note: Optional[str]
    files: list[FileEcho]


class Cat(BaseModel):
    kind: Literal["cat"]
    name: str
    lives: int = Field(ge=0, le=9)


class Dog(BaseModel):
    kind: Literal["dog"]
    name: str
    good: bool = True


Pet = Annotated[Union[Cat, Dog], Field(discriminator="kind")]


class PetEcho(BaseModel):
    model: str
    pet: Pet
    received: Received


class NullableReport(BaseModel):
    """Every field required and nullable: the server sends `null` for each."""

    nickname: Optional[str]
    age: Optional[int]
    score: Optional[float]
    when: Optional[AwareDatetime]
    tags: Optional[list[str]]
    owner: Optional[Tag]
    color: Optional[Color]
    priority: Literal["low", "high", None]


class Measurement(BaseModel):
    value: float = Field(gt=0, lt=100)
    count: int = Field(ge=1, le=10)
    ratio: Optional[float] = Field(default=None, gt=0, le=1)


class MeasurementEcho(BaseModel):
    measurement: Measurement
    received: Received


class JobDone(BaseModel):
    name: str
    result: int


class JobAccepted(BaseModel):
    name: str
    queue_position: int


class TagsEcho(BaseModel):
    count: int
    names: list[str]
    weights: list[Optional[int]]


class Event(BaseModel):
    id: UUID
    at: AwareDatetime
    day: date
    attendees: list[UUID]
    ends_at: Optional[AwareDatetime] = None


class EventEcho(BaseModel):
    event: Event
    at_utc_offset_minutes: int
    attendee_versions: list[int]
    received: Received


async def received(request: Request, model: BaseModel) -> Received:
    return Received(fields_set=sorted(model.model_fields_set), raw=await request.json())


def offset_minutes(value) -> int:
    return int(value.utcoffset().total_seconds() // 60)


async def file_echo(file: UploadFile) -> FileEcho:
    content = await file.read()
    return FileEcho(
        filename=file.filename,
        content_type=file.content_type,
        size=len(content),
        content_hex=content.hex(),
    )


def stored_item() -> Item:
    return Item(
        name="stored",
        price=2.5,
        color=Color.green,
        made_at="2024-05-06T07:08:09-05:00",
        sku=KNOWN,
    )


@app.post("/items", status_code=201, response_model=ItemEcho)
async def create_item(item: Item, request: Request) -> ItemEcho:
    return ItemEcho(
        item=item,
        received=await received(request, item),
        made_at_utc_offset_minutes=offset_minutes(item.made_at),
    )


@app.get("/items", response_model=list[Item])
async def list_items() -> list[Item]:
    return [stored_item(), stored_item().model_copy(update={"name": "second", "tags": [Tag(name="t")]})]


@app.get("/items/{item_id}", response_model=Item, responses={404: {"model": NotFound}})
async def get_item(item_id: UUID):
    if item_id != KNOWN:
        return JSONResponse(
            status_code=404, content={"message": "no such item", "item_id": str(item_id)}
        )
    return stored_item()


@app.patch("/items/{item_id}", response_model=PatchEcho)
async def patch_item(item_id: UUID, patch: ItemPatch, request: Request) -> PatchEcho:
    return PatchEcho(item_id=item_id, received=await received(request, patch))


@app.delete("/items/{item_id}", status_code=204, response_class=Response)
async def delete_item(item_id: UUID) -> Response:
    if item_id != KNOWN:
        return JSONResponse(
            status_code=404, content={"message": "no such item", "item_id": str(item_id)}
        )
    return Response(status_code=204)


@app.get("/search", response_model=SearchEcho)
async def search(
    q: str,
    tags: Annotated[list[str], Query()] = [],
    limit: Annotated[int, Query(gt=0, le=100)] = 10,
    color: Optional[Color] = None,
    since: Optional[date] = None,
    after: Optional[AwareDatetime] = None,
) -> SearchEcho:
    return SearchEcho(
        q=q,
        tags=tags,
        limit=limit,
        color=color,
        since=since,
        after=after,
        after_utc_offset_minutes=None if after is None else offset_minutes(after),
    )


@app.get("/days/{day}", response_model=DayEcho)
async def get_day(day: date, at: AwareDatetime) -> DayEcho:
    return DayEcho(day=day, weekday=day.isoweekday(), at=at, at_utc_offset_minutes=offset_minutes(at))


@app.get("/colors/{color}", response_model=ColorEcho)
async def get_color(color: Color) -> ColorEcho:
    hexes = {Color.red: "#ff0000", Color.green: "#00ff00", Color.blue: "#0000ff"}
    return ColorEcho(color=color, hex=hexes[color])


@app.get("/headers", response_model=HeadersEcho)
async def read_headers(
    x_request_id: Annotated[UUID, Header()],
    session: Annotated[str, Cookie()],
    x_mode: Annotated[Optional[str], Header()] = None,
    theme: Annotated[Optional[str], Cookie()] = None,
) -> HeadersEcho:
    return HeadersEcho(x_request_id=x_request_id, x_mode=x_mode, session=session, theme=theme)


@app.post("/login", response_model=LoginEcho)
async def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    remember: Annotated[bool, Form()] = False,
) -> LoginEcho:
    return LoginEcho(
        content_type=request.headers.get("content-type", ""),
        username=username,
        password=password,
        remember=remember,
    )


@app.post("/upload", response_model=UploadEcho)
async def upload(request: Request, file: UploadFile, description: Annotated[str, Form()]) -> UploadEcho:
    return UploadEcho(
        content_type=request.headers.get("content-type", "").split(";")[0],
        description=description,
        file=await file_echo(file),
    )


@app.post("/upload-many", response_model=UploadManyEcho)
async def upload_many(
    files: list[UploadFile], note: Annotated[Optional[str], Form()] = None
) -> UploadManyEcho:
    return UploadManyEcho(note=note, files=[await file_echo(f) for f in files])


@app.post("/pets", response_model=PetEcho)
async def create_pet(pet: Pet, request: Request) -> PetEcho:
    return PetEcho(model=type(pet).__name__, pet=pet, received=await received(request, pet))


@app.get("/nullable", response_model=NullableReport)
async def nullable(filled: bool = False) -> NullableReport:
    if filled:
        return NullableReport(
            nickname="nick",
            age=41,
            score=0.5,
            when="2024-02-29T12:00:00+05:30",
            tags=["a"],
            owner=Tag(name="o"),
            color=Color.blue,
            priority="high",
        )
    return NullableReport(
        nickname=None, age=None, score=None, when=None, tags=None, owner=None, color=None, priority=None
    )


@app.get("/text", response_class=PlainTextResponse)
async def text(name: str = "world") -> str:
    return f"hello, {name}"


@app.post("/measure", response_model=MeasurementEcho)
async def measure(measurement: Measurement, request: Request) -> MeasurementEcho:
    return MeasurementEcho(measurement=measurement, received=await received(request, measurement))


@app.post("/jobs/{name}", response_model=JobDone, responses={202: {"model": JobAccepted}})
async def run_job(name: str, wait: bool = True):
    if not wait:
        return JSONResponse(status_code=202, content={"name": name, "queue_position": 3})
    return JobDone(name=name, result=len(name))


@app.post("/tags/bulk", response_model=TagsEcho)
async def bulk_tags(tags: list[Tag]) -> TagsEcho:
    return TagsEcho(count=len(tags), names=[t.name for t in tags], weights=[t.weight for t in tags])


@app.post("/events", response_model=EventEcho)
async def create_event(event: Event, request: Request) -> EventEcho:
    return EventEcho(
        event=event,
        at_utc_offset_minutes=offset_minutes(event.at),
        attendee_versions=[a.version for a in event.attendees],
        received=await received(request, event),
    )
