"""A customer's photo of the fault, made safe to keep: decoded (so only a real, reasonably
sized JPEG or PNG passes) and written again without its GPS position unless the customer
agreed to keep where it was taken. Drawing it again also drops what else a phone may hide
beside the picture (XMP, comments, thumbnails); the orientation and the time taken stay."""

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image

from aftersales.core.errors import ValidationFailed

# Larger than any phone camera's picture; a bigger one is a decompression bomb.
MAX_PIXELS = 50_000_000


def kept_photo(content: bytes, keep_location: bool, field: str) -> bytes:
    """The bytes to keep: as sent when the customer keeps the location, else drawn again
    without the GPS position; a file that does not decode as a photo names `field`."""
    image = _decoded(content, field)
    if keep_location:
        return content
    exif = image.getexif()
    exif.pop(ExifTags.IFD.GPSInfo, None)
    written = io.BytesIO()
    if image.format == "JPEG":
        image.save(written, format="JPEG", quality=90, exif=exif.tobytes(),
                   icc_profile=image.info.get("icc_profile"))
    else:
        image.save(written, format="PNG", exif=exif.tobytes() if len(exif) else None)
    return written.getvalue()


def _decoded(content: bytes, field: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationFailed(_l("The photo is too large a picture."), field=field)
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise ValidationFailed(_l("The photo cannot be read: send a JPEG or PNG picture."),
                               field=field) from error
    if image.format not in ("JPEG", "PNG"):
        raise ValidationFailed(_l("Send a JPEG or PNG picture."), field=field)
    return image


