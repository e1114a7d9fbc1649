/*
 * imgforge-check: what its parts share.  The container and metadata
 * checks (markers, EXIF, PNG chunks, quantisation tables, names) report
 * findings with a severity; the pixel checks (pixel.h) report an NFA.
 * One struct ifc_job carries an image through the pipeline: slurped in
 * the walk, analysed on a worker, reported in order.
 */
#ifndef IMGFORGE_H
#define IMGFORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "pixel.h"

#define IFC_MAX_PIXELS	100000000L	/* refuse larger images before allocating */
#define IFC_MAX_BYTES	(512L * 1024 * 1024)	/* largest input slurped */

/* Check families selectable with --checks. */
enum {
	IFC_META	= 1 << 0,
	IFC_DQT		= 1 << 1,
	IFC_ZERO	= 1 << 2,
	IFC_DQ		= 1 << 3,
	IFC_COPYMOVE	= 1 << 4,
	IFC_NOISE	= 1 << 5,
	IFC_ELA		= 1 << 6,
	IFC_ALL		= (1 << 7) - 1
};

enum ifc_verdict { V_NONE, V_SUSPICIOUS, V_FORGED };

/* A container or metadata finding: severity 1 (weak) to 3 (strong). */
struct meta_finding {
	char		 check[40];
	int		 severity;
	json_t		*detail;	/* owned; always has "why" */
};

struct meta_findings {
	struct meta_finding *v;
	size_t		 n, cap;
	json_t		*facts;		/* owned; what was measured, not evidence */
};

void	mf_init(struct meta_findings *);
void	mf_free(struct meta_findings *);
/* Adds a finding whose detail says why (printf-style) and, optionally, more. */
void	mf_add(struct meta_findings *, const char *check, int severity,
	    json_t *detail, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	mf_fact(struct meta_findings *, const char *key, json_t *value);
/* A remark for the reader that is not evidence (facts.notes, "note:" lines). */
void	mf_note(struct meta_findings *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* What the JPEG marker walk saw; pointers are into the caller's buffer. */
struct jpeg_dqt {
	const unsigned char *seg;	/* DQT segment payload (after length) */
	size_t		 len;
};

struct jpeg_info {
	struct jpeg_dqt	 dqt[4];	/* by the index of the segment's first table */
	uint16_t	 qt[4][64];	/* tables by id, natural order */
	bool		 has_qt[4];
	int		 ncomp;
	int		 comp_id[4], comp_samp[4], comp_tq[4];
	int		 sof;		/* 0xc0.. of the frame, 0 if none */
	int		 width, height;
	const unsigned char *exif;	/* APP1 "Exif\0\0" payload */
	size_t		 exiflen;
	bool		 mpf;		/* APP2 "MPF": extra images after EOI expected */
	const unsigned char *app14;	/* APP14 "Adobe" payload */
	size_t		 app14len;
	size_t		 eoi_end;	/* offset just past EOI, 0 if none */
};

/* markers.c: walks a JPEG's markers; adds findings, fills info. -1: not a JPEG. */
int	jpeg_markers(const unsigned char *, size_t, struct jpeg_info *,
	    struct meta_findings *);
/* xmp.c: an XMP packet (JPEG APP1 or PNG iTXt). */
void	xmp_check(const char *, size_t, struct meta_findings *);
/* exif.c: an EXIF block ("Exif\0\0" optional); main is the decoded image or NULL. */
void	exif_check(const unsigned char *, size_t, const struct px_image *main,
	    struct meta_findings *);
/*
 * meta.c: what kind of software a name (EXIF Software, XMP CreatorTool, a
 * PNG Software text, a COM marker) belongs to: 2 an image editor, 1 a
 * converter or re-encoder, 0 neither or unknown; *name the product.
 */
int	software_kind(const char *, size_t, const char **name);
/* pngmeta.c: walks PNG chunks; -1 with msg on a broken file (bad CRC...). */
int	png_meta(const unsigned char *, size_t, struct meta_findings *,
	    char *msg, size_t msglen);
/* dqt.c: classifies the quantisation tables. */
void	dqt_check(const struct jpeg_info *, struct meta_findings *);
int	dqt_ijg_quality(const uint16_t qt[64], bool chroma, bool *exact);
/* names.c: the content type against the name, WeChat export names. */
void	name_check(const char *path, const char *member, const char *mime,
	    struct meta_findings *);

/*
 * decode.c: -1 with msg when the data cannot be decoded.  decode_jpeg
 * reads the coefficients too when pc is not NULL, on a second thread
 * when threads > 1.
 */
int	decode_jpeg(const unsigned char *, size_t, struct px_image *,
	    struct px_coef *, int threads, char *msg, size_t msglen);
int	decode_png(const unsigned char *, size_t, struct px_image *,
	    char *msg, size_t msglen);
void	image_free(struct px_image *);
void	coef_free(struct px_coef *);
void	image_lum(struct px_image *);

/* Options that reach the analysis. */
struct ifc_conf {
	unsigned	 checks;
	double		 log10_eps;
	const char	*mapdir;
	int		 inner_threads;
	int		 verbose;
	bool		 cross;		/* --cross: copy-move across the run */
};

/* One input, from the walk to the report. */
struct ifc_job {
	char		*path, *member;
	char		 mime[128];
	char		 sha256[65];
	unsigned char	*buf;
	size_t		 len;
	const struct ifc_conf *conf;
	/* results */
	char		 err[256];	/* nonempty: an error record instead */
	char		 maperr[256];	/* nonempty: the maps failed (reported too) */
	bool		 unsupported;
	const char	*format;	/* "jpeg", "png" */
	int		 w, h;
	struct meta_findings meta;
	struct px_findings px;
	bool		 px_ok;
	unsigned char	*ela;		/* w*h*3 when --maps and ela selected */
	char		*mask_path, *overlay_path, *ela_path;
	enum ifc_verdict verdict;
	struct px_cross	*cross;		/* --cross: this picture's summary */
};

void	analyse(struct ifc_job *);
void	job_free(struct ifc_job *);
/* pixel_run.c: runs the selected pixel checks through pixel.h. */
/*
 * ji (a JPEG's markers, NULL for a PNG): its EXIF and DQT checks run
 * beside the detectors, into j->meta.
 */
void	pixel_checks(struct ifc_job *, const struct px_image *,
	    const struct px_coef *, const struct jpeg_info *ji);
/* verdict.c */
enum ifc_verdict verdict(const struct ifc_job *);
/* A pixel finding detects when its NFA is below epsilon; "info." ones never do. */
bool	px_detects(const struct px_finding *, double log10_eps);
const char *verdict_name(enum ifc_verdict);
/* maps.c: writes the mask and overlay PNGs under conf->mapdir. */
int	maps_write(struct ifc_job *, const struct px_image *, char *msg,
	    size_t msglen);
/*
 * --cross, at the end of the run: adds a picture's copymove.cross
 * detections to the mask and overlay maps_write wrote (none: untouched).
 */
int	maps_cross(struct ifc_job *, char *msg, size_t msglen);
int	png_write_file(const char *path, const unsigned char *pix, int w, int h,
	    int channels, char *msg, size_t msglen);
/* font.c: labels drawn into an RGB picture. */
int	font_width(const char *, int scale);
void	font_draw(unsigned char *rgb, int w, int h, int x, int y, int scale,
	    const char *, const unsigned char col[3]);
/* run.c: walks the inputs and returns the exit status. */
struct cli_common;
int	run_checks(const struct ifc_conf *, const struct cli_common *,
	    char **paths, int npaths, int argc, char **argv);
/* report.c */
struct rec_out;
void	report(struct rec_out *, const struct ifc_job *, bool json, int verbose);

#endif
