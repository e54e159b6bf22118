// A small N-body simulation in floats (Sun, Jupiter, Saturn, Uranus, Neptune), energy before and after.
struct Body { x: float, y: float, z: float, vx: float, vy: float, vz: float, m: float }

fn energy(bs: [Body]) -> float {
    let mut e = 0.0;
    let mut i = 0;
    while i < len(bs) {
        let b = bs[i];
        e = e + 0.5 * b.m * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz);
        let mut j = i + 1;
        while j < len(bs) {
            let c = bs[j];
            let dx = b.x - c.x;
            let dy = b.y - c.y;
            let dz = b.z - c.z;
            e = e - b.m * c.m / sqrt(dx * dx + dy * dy + dz * dz);
            j += 1;
        }
        i += 1;
    }
    e
}

// Newton's method, so the program needs no host math.
fn sqrt(v: float) -> float {
    if v <= 0.0 { return 0.0; }
    let mut g = if v > 1.0 { v / 2.0 } else { 1.0 };
    let mut k = 0;
    while k < 60 { g = 0.5 * (g + v / g); k += 1; }
    g
}

fn advance(bs: [Body], dt: float) {
    let mut i = 0;
    while i < len(bs) {
        let b = bs[i];
        let mut j = i + 1;
        while j < len(bs) {
            let c = bs[j];
            let dx = b.x - c.x;
            let dy = b.y - c.y;
            let dz = b.z - c.z;
            let d2 = dx * dx + dy * dy + dz * dz;
            let mag = dt / (d2 * sqrt(d2));
            b.vx = b.vx - dx * c.m * mag;
            b.vy = b.vy - dy * c.m * mag;
            b.vz = b.vz - dz * c.m * mag;
            c.vx = c.vx + dx * b.m * mag;
            c.vy = c.vy + dy * b.m * mag;
            c.vz = c.vz + dz * b.m * mag;
            j += 1;
        }
        i += 1;
    }
    let mut k = 0;
    while k < len(bs) {
        let b = bs[k];
        b.x = b.x + dt * b.vx;
        b.y = b.y + dt * b.vy;
        b.z = b.z + dt * b.vz;
        k += 1;
    }
}

fn main() {
    let pi = 3.141592653589793;
    let solar = 4.0 * pi * pi;
    let dpy = 365.24;
    let bs = [
        Body { x: 0.0, y: 0.0, z: 0.0, vx: 0.0, vy: 0.0, vz: 0.0, m: solar },
        Body { x: 4.84143144246472090, y: -1.16032004402742839, z: -0.103622044471123109,
               vx: 0.00166007664274403694 * dpy, vy: 0.00769901118419740425 * dpy,
               vz: -0.0000690460016972063023 * dpy, m: 0.000954791938424326609 * solar },
        Body { x: 8.34336671824457987, y: 4.12479856412430479, z: -0.403523417114321381,
               vx: -0.00276742510726862411 * dpy, vy: 0.00499852801234917238 * dpy,
               vz: 0.0000230417297573763929 * dpy, m: 0.000285885980666130812 * solar },
        Body { x: 12.8943695621391310, y: -15.1111514016986312, z: -0.223307578892655734,
               vx: 0.00296460137564761618 * dpy, vy: 0.00237847173959480950 * dpy,
               vz: -0.0000296589568540237556 * dpy, m: 0.0000436624404335156298 * solar },
        Body { x: 15.3796971148509165, y: -25.9193146099879641, z: 0.179258772950371181,
               vx: 0.00268067772490389322 * dpy, vy: 0.00162824170038242295 * dpy,
               vz: -0.0000951592254519715870 * dpy, m: 0.0000515138902046611451 * solar },
    ];
    // Offset the Sun's momentum so the system's total momentum is zero.
    let mut px = 0.0;
    let mut py = 0.0;
    let mut pz = 0.0;
    let mut i = 0;
    while i < len(bs) { px = px + bs[i].vx * bs[i].m; py = py + bs[i].vy * bs[i].m; pz = pz + bs[i].vz * bs[i].m; i += 1; }
    bs[0].vx = 0.0 - px / solar;
    bs[0].vy = 0.0 - py / solar;
    bs[0].vz = 0.0 - pz / solar;
    println("energy before: " + str(energy(bs)));
    let mut step = 0;
    while step < 1000 { advance(bs, 0.01); step += 1; }
    println("energy after 1000 steps: " + str(energy(bs)));
}
