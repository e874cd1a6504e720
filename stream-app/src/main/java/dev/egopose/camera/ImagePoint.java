package dev.egopose.camera;

/** A point in image pixels; pixel centres are at integer coordinates, (0,0) is the top-left pixel. */
public record ImagePoint(double x, double y) {}
