/*
 * The pixel-level detectors of imgforge-check (ZERO grid, double
 * quantisation, copy-move, noise level, ELA) and what they share: the
 * decoded image, the JPEG coefficients when there are some, and the
 * findings they report with an a-contrario NFA.
 */
#ifndef IMGFORGE_PIXEL_H
#define IMGFORGE_PIXEL_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

/*
 * A decoded image: 8-bit RGB, and its luminance as float (0..255) only
 * when a caller made it (the detectors work from rgb; the tool decodes
 * without it).
 */
struct px_image {
	int		 w, h;
	unsigned char	*rgb;		/* w * h * 3, row-major */
	float		*lum;		/* w * h, Y = 0.299 R + 0.587 G + 0.114 B, or NULL */
};

/* The quantised DCT coefficients of a JPEG's first (luminance) component. */
struct px_coef {
	int		 bw, bh;	/* blocks across and down */
	int16_t		*coef;		/* bw * bh * 64, natural (not zigzag) order */
	uint16_t	 qt[64];	/* its quantisation table, natural order */
	int		 quality;	/* IJG quality estimate of qt, or -1 */
	/*
	 * Optional (NULL when not set): the decoded image, so that px_dq
	 * can leave out blocks where a colour channel clips, whose
	 * coefficients no longer keep the first quantisation's trace.
	 */
	const struct px_image *img;
};

struct px_finding {
	char		 check[40];	/* "jpeg.grid.foreign", "copymove", ... */
	double		 log10_nfa;	/* detection when below log10(epsilon) */
	int		 region[4];	/* x, y, w, h; w == 0 when global */
	json_t		*detail;	/* owned; check-specific evidence */
};

struct px_findings {
	struct px_finding *v;
	size_t		 n, cap;
	unsigned char	*mask;		/* w * h, 255 where a detection points */
	int		 w, h;
};

struct px_opts {
	double		 log10_eps;	/* log10 of epsilon (NFA threshold), default 0 */
	int		 threads;	/* threads a detector may use inside one image */
	/*
	 * The file is not a JPEG (a PNG): a JPEG grid in its pixels is
	 * history, and may cover only a pasted piece (px_zero).
	 */
	bool		 lossless;
};

void	px_findings_init(struct px_findings *, int w, int h);
void	px_findings_free(struct px_findings *);
/* Adds a finding (taking detail) and, for a detection, marks its region in the mask. */
void	px_add(struct px_findings *, const char *check, double log10_nfa,
	    const int region[4], json_t *detail, const struct px_opts *);
/* Marks an arbitrary set of pixels (row-major 0/1 map of the image size). */
void	px_mark(struct px_findings *, const unsigned char *map);

/* log10 of the binomial tail P[X >= k], X ~ B(n, p); exact in log space. */
double	px_log10_binom_tail(long n, long k, double p);

struct px_cross;

/*
 * The detectors.  Each adds its findings (detections and, in detail,
 * the global facts it measured) and returns 0, or -1 on trouble.
 * coef is NULL for a PNG.
 */
int	px_zero(const struct px_image *, struct px_findings *, const struct px_opts *);
int	px_dq(const struct px_coef *, struct px_findings *, const struct px_opts *);
int	px_copymove(const struct px_image *, struct px_findings *, const struct px_opts *);
/*
 * The same, and with cross not NULL, also the picture's --cross summary
 * (px_cross_keys) into *cross from the keypoints copy-move computed;
 * *cross stays NULL when it could not be made that way.
 */
int	px_copymove_keys(const struct px_image *, struct px_findings *,
	    const struct px_opts *, struct px_cross **cross);
int	px_noise(const struct px_image *, struct px_findings *, const struct px_opts *);
/* ELA is a picture for a person, never a verdict: writes an RGB map. */
int	px_ela(const struct px_image *, int quality, unsigned char *out_rgb);

/*
 * Copy-move across the pictures of a run (cross.c): each picture leaves
 * a bounded summary (NULL on no memory; no keypoints when its noise is
 * too low to test), and the summaries are matched once all are in.
 */
struct px_cross_hit {
	size_t		 a, b;		/* indexes of the two summaries, a < b */
	int		 ra[4], rb[4];	/* the shared region in a and in b */
	long		 matched, independent;	/* passing blocks; not overlapping */
	double		 log10_nfa;
};
struct px_cross *px_cross_keys(const struct px_image *, const struct px_opts *);
void	px_cross_free(struct px_cross *);
double	px_cross_sigma(const struct px_cross *);
size_t	px_cross_count(const struct px_cross *);
/* The detections (NFA below epsilon) among ns summaries (NULLs skipped); -1 on no memory. */
long	px_cross_match(struct px_cross *const *, size_t ns, double log10_eps,
	    struct px_cross_hit **);

/*
 * Asks the kernel to back the n bytes at p (a large buffer just
 * allocated) with huge pages where it can: a 12-megapixel picture's
 * buffers take hundreds of MB, and faulting them in 4 KB pages was a
 * seventh of the run's CPU time.  Only a hint; p may be NULL.
 */
void	px_hugepages(void *p, size_t n);

/*
 * Phase timings, for measuring where the time goes: in a build with
 * -DIFC_TIMING, PX_T0(v) takes the time into a new variable v and
 * PX_TDONE(name, v) prints "timing NAME START END" on standard error
 * (seconds since the first mark, monotonic clock, and the thread).
 * Otherwise both are nothing.
 */
double	px_tnow(void);
void	px_tdone(const char *name, double start);
#ifdef IFC_TIMING
#define PX_T0(v)	double v = px_tnow()
#define PX_TDONE(n, v)	px_tdone(n, v)
#else
#define PX_T0(v)	((void)0)
#define PX_TDONE(n, v)	((void)0)
#endif

#endif
