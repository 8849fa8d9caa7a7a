#!/usr/bin/python3
# clarifaitag from Python (PyGObject): prints the tags of each
# `clarifai-tags` bus message, and reads `ClarifaiTagMeta` from buffers in
# a pad probe.
#
#   clarifai-tags.py --api-url URL [--api-key KEY]
#                    [--client-id ID --client-secret SECRET]
#                    [--user-id U --app-id A --model M] [--prompt TEXT]
#                    [--ball]
#
# --api-key tags with today's v2 API (a personal access token); without it,
# the client credentials with the v1 API.  With a detector it prints each
# box (`region`), with a captioner or a vision-language model (--prompt)
# the text (`text`), and reads the boxes from GStreamer's own metas too:
# each region-of-interest meta (`roi`) and, where the plugin was built
# against GStreamer 1.24 or later, each GstAnalytics ODMtd with the ClsMtd
# it relates to (`od`).
#
# Tags a live red test source (--ball: a white ball moving on black) for
# 1.5 s, one frame per 500 ms.

import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402

try:  # GStreamer >= 1.24
    gi.require_version("GstAnalytics", "1.0")
    from gi.repository import GstAnalytics  # noqa: E402
except (ImportError, ValueError):
    GstAnalytics = None


last_described = None


def on_buffer(pad, info):
    """Prints the meta of a buffer when it describes a new frame."""
    global last_described
    buf = info.get_buffer()
    meta = buf.get_custom_meta("ClarifaiTagMeta")
    if meta is not None:
        s = meta.get_structure()
        ok, described = s.get_uint64("timestamp")
        if described != last_described:
            last_described = described
            classes = s.get_value("classes")
            print("meta     buffer %d carries the tags of frame %d: %s"
                  % (buf.pts, described, classes[0] if classes else "-"))
            print_standard_metas(buf)
    return Gst.PadProbeReturn.OK


def print_roi(roi):
    det = roi.get_param("detection")
    print("roi      %s at %d,%d %dx%d (%.2f)" % (
        GLib.quark_to_string(roi.roi_type), roi.x, roi.y, roi.w, roi.h,
        det.get_value("confidence") if det else -1))


def print_standard_metas(buf):
    """The boxes as other elements see them."""
    rmeta = None
    if GstAnalytics is not None:
        rmeta = GstAnalytics.buffer_get_analytics_relation_meta(buf)
    if rmeta is None:
        # without analytics metas the boxes' ids are 0 .. n-1
        api = GstVideo.VideoRegionOfInterestMeta.get_info().api
        for i in range(buf.get_n_meta(api)):
            print_roi(GstVideo.buffer_get_video_region_of_interest_meta_id(
                buf, i))
        return
    for mtd in rmeta:
        if not isinstance(mtd, GstAnalytics.ODMtd):
            continue
        ok, x, y, w, h, conf = mtd.get_location()
        labels = [GLib.quark_to_string(cls.get_quark(0)) for cls in rmeta
                  if isinstance(cls, GstAnalytics.ClsMtd)
                  and rmeta.get_relation(cls.id, mtd.id)
                  == GstAnalytics.RelTypes.IS_PART_OF]
        print("od       %s at %d,%d %dx%d (c=%.2f), classes %s" % (
            GLib.quark_to_string(mtd.get_obj_type()), x, y, w, h, conf,
            ", ".join(labels)))
        # its ROI meta has its id, as DL Streamer >= 2025.2 expects
        print_roi(GstVideo.buffer_get_video_region_of_interest_meta_id(
            buf, mtd.id))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--api-key", help="v2 personal access token")
    parser.add_argument("--client-id", default="test-client-id")
    parser.add_argument("--client-secret", default="test-client-secret")
    parser.add_argument("--user-id")
    parser.add_argument("--app-id")
    parser.add_argument("--model", help="a classifier, detector, captioner "
                        "or vision-language model")
    parser.add_argument("--prompt", help="question for a vision-language "
                        "model")
    parser.add_argument("--ball", action="store_true",
                        help="a moving ball instead of a red picture")
    args = parser.parse_args()

    Gst.init(None)
    pattern = "ball" if args.ball else \
        "solid-color foreground-color=0xffff0000"
    pipeline = Gst.parse_launch(
        "videotestsrc is-live=true num-buffers=45 pattern=%s ! "
        "video/x-raw,width=320,height=240,framerate=30/1 ! "
        "clarifaitag name=tagger interval=500000000 ! fakesink name=sink"
        % pattern)
    tagger = pipeline.get_by_name("tagger")
    tagger.set_property("api-url", args.api_url)
    if args.api_key:
        tagger.set_property("api-key", args.api_key)
    else:
        # v1 said outright: with api=auto a CLARIFAI_PAT in the environment
        # would pick v2, and the client credentials would be the other
        # version's settings.
        tagger.set_property("api", "v1")
        tagger.set_property("client-id", args.client_id)
        tagger.set_property("client-secret", args.client_secret)
    for name in ("user-id", "app-id", "model", "prompt"):
        value = getattr(args, name.replace("-", "_"))
        if value:
            tagger.set_property(name, value)
    sink_pad = pipeline.get_by_name("sink").get_static_pad("sink")
    sink_pad.add_probe(Gst.PadProbeType.BUFFER, on_buffer)

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
            classes = s.get_value("classes")
            probs = s.get_value("probabilities")
            print("message  sample %d at %d: %s %s" % (
                s.get_value("sample-id"), s.get_value("timestamp"),
                s.get_string("status"),
                ", ".join("%s %.2f" % (c, p) for c, p in zip(classes, probs))))
            # a detector's boxes, a captioner's or VLM's text
            for r in s.get_value("regions"):
                print("region   %s %.2f at x %.2f y %.2f, %.2f x %.2f" % (
                    r.get_string("label"), r.get_value("probability"),
                    r.get_value("x"), r.get_value("y"),
                    r.get_value("width"), r.get_value("height")))
            if s.get_string("text"):
                print("text     %s" % s.get_string("text"))
        elif msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print("error: %s (%s)" % (err.message, debug), file=sys.stderr)
            status = 1
            break
        elif msg.type == Gst.MessageType.EOS:
            break

    stats = tagger.get_property("stats")
    print("stats    sampled=%d tagged=%d" % (stats.get_value("sampled"),
                                             stats.get_value("tagged")))
    pipeline.set_state(Gst.State.NULL)
    return status


if __name__ == "__main__":
    sys.exit(main())
