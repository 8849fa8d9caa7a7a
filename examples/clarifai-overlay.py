#!/usr/bin/python3
# Live annotation from Python (PyGObject): clarifaitag ! clarifaioverlay
# shows the video with its results drawn on it (tags, a detector's boxes,
# a caption or a vision-language model's answer), and the results are
# printed from the bus.
#
#   clarifai-overlay.py --api-url URL --api-key KEY
#                       [--camera /dev/video0 | --ball] [--sync]
#                       [--user-id U --app-id A --model M] [--prompt TEXT]
#                       [--sink SINK] [--snapshot FILE.png]
#
# Without --camera it shows the five-second colour tour (red, green, blue,
# yellow, white), or with --ball a white ball moving on black.  --sync
# holds each sampled frame until its own result is known, so that what is
# drawn on a frame (a box on the ball) is that frame's.  --snapshot keeps
# the last annotated frame as a PNG; --sink fakesink runs without a
# display.

import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

TOUR = [0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffff00, 0xffffffff]


def colour_tour(pad, info, source):
    """Changes the test source's colour once per second of stream time."""
    second = info.get_buffer().pts // Gst.SECOND
    source.set_property("foreground-color", TOUR[min(second, len(TOUR) - 1)])
    return Gst.PadProbeReturn.OK


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", default="https://api.clarifai.com")
    parser.add_argument("--api-key", help="personal access token "
                        "(default: the CLARIFAI_PAT environment variable)")
    parser.add_argument("--camera", help="a V4L2 device instead of the tour")
    parser.add_argument("--ball", action="store_true",
                        help="a moving ball instead of the tour")
    parser.add_argument("--sync", action="store_true")
    parser.add_argument("--user-id")
    parser.add_argument("--app-id")
    parser.add_argument("--model")
    parser.add_argument("--prompt", help="question for a vision-language "
                        "model, asked about each sampled frame")
    parser.add_argument("--sink", default="autovideosink")
    parser.add_argument("--snapshot", help="write the last frame here (PNG)")
    args = parser.parse_args()

    Gst.init(None)
    if args.camera:
        source = "v4l2src device=%s ! videoconvert" % args.camera
    elif args.ball:
        # the last frame, 2.5 s, is a sampled one: with --sync its box is
        # its own
        source = ("videotestsrc is-live=true num-buffers=76 pattern=ball "
                  "! video/x-raw,width=640,height=360,framerate=30/1")
    else:
        source = ("videotestsrc name=source is-live=true num-buffers=150 "
                  "foreground-color=0xffff0000 "
                  "pattern=solid-color ! video/x-raw,width=640,height=360,"
                  "framerate=30/1")
    desc = ("%s ! clarifaitag name=tagger interval=500000000 sync=%s ! "
            "clarifaioverlay ! tee name=t ! queue ! videoconvert ! %s"
            % (source, "true" if args.sync else "false", args.sink))
    if args.snapshot:
        # multifilesink rewrites the one file for every frame: the last
        # one stays.
        desc += (" t. ! queue ! videoconvert ! pngenc ! multifilesink "
                 "location=%s" % args.snapshot.replace("%", "%%"))
    pipeline = Gst.parse_launch(desc)
    tagger = pipeline.get_by_name("tagger")
    tagger.set_property("api-url", args.api_url)
    if args.api_key:
        tagger.set_property("api-key", args.api_key)
    for name in ("user-id", "app-id", "model", "prompt"):
        value = getattr(args, name.replace("-", "_"))
        if value:
            tagger.set_property(name, value)
    test_source = pipeline.get_by_name("source")
    if test_source:
        test_source.get_static_pad("src").add_probe(
            Gst.PadProbeType.BUFFER, colour_tour, test_source)

    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    status = 0
    while True:
        msg = bus.timed_pop_filtered(
            Gst.CLOCK_TIME_NONE,
            Gst.MessageType.ELEMENT | Gst.MessageType.EOS
            | Gst.MessageType.ERROR)
        if msg.type == Gst.MessageType.ELEMENT \
                and msg.has_name("clarifai-tags"):
            s = msg.get_structure()
            print("tags     %.2f s: %s %s" % (
                s.get_value("timestamp") / Gst.SECOND, s.get_string("status"),
                ", ".join("%s %.2f" % (c, p) for c, p in zip(
                    s.get_value("classes"), s.get_value("probabilities")))))
            for r in s.get_value("regions"):
                print("  box    %s %.2f at x %.2f y %.2f, %.2f x %.2f" % (
                    r.get_string("label"), r.get_value("probability"),
                    r.get_value("x"), r.get_value("y"),
                    r.get_value("width"), r.get_value("height")))
            if s.get_string("text"):
                print("  text   %s" % s.get_string("text").replace(
                    "\n", " / "))
        elif msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print("error: %s (%s)" % (err.message, debug), file=sys.stderr)
            status = 1
            break
        elif msg.type == Gst.MessageType.EOS:
            break
    pipeline.set_state(Gst.State.NULL)
    return status


if __name__ == "__main__":
    sys.exit(main())
